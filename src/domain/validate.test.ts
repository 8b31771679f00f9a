import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { TASK_LIMITS } from './task.js';
import { parseCreateTask, parseTaskPatch } from './validate.js';

function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseCreateTask', () => {
  it('fills in an empty description and PENDING status by default', () => {
    expect(parseCreateTask({ title: 'Buy milk' })).toEqual({
      title: 'Buy milk',
      description: '',
      status: 'PENDING',
      priority: 'MEDIUM',
      tags: [],
    });
  });

  it('keeps a given description and status', () => {
    expect(parseCreateTask({ title: 't', description: 'd', status: 'DONE' })).toEqual({
      title: 't',
      description: 'd',
      status: 'DONE',
      priority: 'MEDIUM',
      tags: [],
    });
  });

  it('trims the title', () => {
    expect(parseCreateTask({ title: '  spaced  ' }).title).toBe('spaced');
  });

  it("refuses a missing title with the original's message `Field 'title' is required`", () => {
    const error = validationErrorOf(() => parseCreateTask({ description: 'x' }));
    expect(error.message).toBe("Field 'title' is required");
    expect(error.fieldErrors).toEqual([{ field: 'title', message: "Field 'title' is required" }]);
  });

  it.each([[''], ['   ']])('refuses the blank title %j', (title) => {
    const error = validationErrorOf(() => parseCreateTask({ title }));
    expect(error.fieldErrors[0]?.field).toBe('title');
    expect(error.message).toContain('title');
  });

  it.each([[42], [null], [['a']], [{ text: 'a' }]])('refuses the non-string title %j', (title) => {
    const error = validationErrorOf(() => parseCreateTask({ title }));
    expect(error.fieldErrors).toContainEqual({ field: 'title', message: 'Must be a string' });
  });

  it('refuses an unknown status with `Invalid status`', () => {
    const error = validationErrorOf(() => parseCreateTask({ title: 't', status: 'LATER' }));
    expect(error.message).toBe('Invalid status');
    expect(error.fieldErrors).toEqual([{ field: 'status', message: 'Invalid status' }]);
  });

  it('refuses a lower-case status', () => {
    expect(() => parseCreateTask({ title: 't', status: 'done' })).toThrow('Invalid status');
  });

  it('accepts a title of exactly the maximum length and refuses one character more', () => {
    const max = 'x'.repeat(TASK_LIMITS.titleMaxLength);
    expect(parseCreateTask({ title: max }).title).toBe(max);
    expect(() => parseCreateTask({ title: `${max}x` })).toThrow(
      `Field 'title' must be at most ${TASK_LIMITS.titleMaxLength} characters`,
    );
  });

  it('accepts a description of exactly the maximum length and refuses one character more', () => {
    const max = 'x'.repeat(TASK_LIMITS.descriptionMaxLength);
    expect(parseCreateTask({ title: 't', description: max }).description).toBe(max);
    expect(() => parseCreateTask({ title: 't', description: `${max}x` })).toThrow(
      `Field 'description' must be at most ${TASK_LIMITS.descriptionMaxLength} characters`,
    );
  });

  it('drops read-only and unknown fields', () => {
    const input = parseCreateTask({
      title: 't',
      taskId: 'forged',
      createdAt: '2000-01-01T00:00:00Z',
      updatedAt: '2000-01-01T00:00:00Z',
      version: 9,
      ownerId: 'bob',
      color: 'red',
    });
    expect(Object.keys(input).sort()).toEqual(['description', 'priority', 'status', 'tags', 'title']);
  });

  it('lists every invalid field, not only the first', () => {
    const error = validationErrorOf(() => parseCreateTask({ status: 'LATER', description: 5 }));
    expect(error.fieldErrors.map((e) => e.field).sort()).toEqual(['description', 'status', 'title']);
  });

  it.each([
    ['null', null],
    ['an array', [{ title: 't' }]],
    ['a string', 'title'],
    ['a number', 42],
    ['a boolean', true],
  ])('refuses %s as the body', (_kind, body) => {
    const error = validationErrorOf(() => parseCreateTask(body));
    expect(error.message).toBe('Request body must be a JSON object');
    expect(error.fieldErrors).toEqual([{ field: '(body)', message: 'Expected a JSON object' }]);
  });
});

describe('parseTaskPatch', () => {
  it('keeps only the fields given', () => {
    expect(parseTaskPatch({ status: 'IN_PROGRESS' })).toEqual({ status: 'IN_PROGRESS' });
  });

  it('refuses an empty object with `No valid fields to update`', () => {
    expect(() => parseTaskPatch({})).toThrow('No valid fields to update');
  });

  it('refuses a body with only unknown or read-only fields with `No valid fields to update`', () => {
    const error = validationErrorOf(() =>
      parseTaskPatch({ taskId: 'x', createdAt: 'y', version: 3, color: 'red' }),
    );
    expect(error.message).toBe('No valid fields to update');
  });

  it('drops read-only fields next to an updatable one', () => {
    expect(parseTaskPatch({ title: 'new', taskId: 'x', updatedAt: 'y', version: 3 })).toEqual({
      title: 'new',
    });
  });

  it('refuses an unknown status with `Invalid status`', () => {
    expect(() => parseTaskPatch({ status: 'LATER' })).toThrow('Invalid status');
  });

  it('refuses an empty title', () => {
    expect(() => parseTaskPatch({ title: '' })).toThrow(ValidationError);
  });

  it('refuses a non-object body', () => {
    expect(() => parseTaskPatch(['status'])).toThrow('Request body must be a JSON object');
  });
});

describe('the new optional fields', () => {
  it('normalises tags: trimmed, lower-cased, without duplicates', () => {
    expect(parseCreateTask({ title: 't', tags: [' Work', 'work', 'home'] }).tags).toEqual(['work', 'home']);
  });

  it('refuses more tags than the limit', () => {
    const tags = Array.from({ length: TASK_LIMITS.maxTags + 1 }, (_, i) => `t${i}`);
    expect(validationErrorOf(() => parseCreateTask({ title: 't', tags })).message).toBe(
      `At most ${TASK_LIMITS.maxTags} tags`,
    );
  });

  it.each(['a b', '#x', '', 'x'.repeat(TASK_LIMITS.tagMaxLength + 1)])('refuses the tag %j', (tag) => {
    expect(() => parseCreateTask({ title: 't', tags: [tag] })).toThrow(ValidationError);
  });

  it.each(['2026-12-01', '2026-12-01T09:30:00Z', '2026-12-01T09:30:00.5+02:00'])(
    'accepts the due date %s as given',
    (dueDate) => {
      expect(parseCreateTask({ title: 't', dueDate }).dueDate).toBe(dueDate);
    },
  );

  it.each(['2026-13-01', '01/12/2026', '2026-12-01T09:30', 'tomorrow'])(
    'refuses the due date %s',
    (dueDate) => {
      expect(() => parseCreateTask({ title: 't', dueDate })).toThrow(ValidationError);
    },
  );

  it('refuses an unknown priority with `Invalid priority`', () => {
    expect(validationErrorOf(() => parseCreateTask({ title: 't', priority: 'URGENT' })).message).toBe(
      'Invalid priority',
    );
  });

  it('accepts a null due date in a patch, meaning remove it', () => {
    expect(parseTaskPatch({ dueDate: null })).toEqual({ dueDate: null });
  });
});

describe('length rules as the document states them', () => {
  const max = TASK_LIMITS.titleMaxLength;

  it('counts the title as sent: the maximum plus surrounding spaces is too long', () => {
    expect(() => parseCreateTask({ title: ` ${'x'.repeat(max)} ` })).toThrow('at most');
  });

  it('refuses a title of white space only, however long', () => {
    expect(() => parseCreateTask({ title: '   ' })).toThrow("Field 'title' must not be empty");
  });

  it('counts characters, not UTF-16 units: the maximum in emoji is accepted, one more is not', () => {
    expect(parseCreateTask({ title: '😀'.repeat(max) }).title).toHaveLength(2 * max);
    expect(() => parseCreateTask({ title: '😀'.repeat(max + 1) })).toThrow('at most');
  });

  it('counts a tag as sent, surrounding spaces included', () => {
    expect(() => parseCreateTask({ title: 't', tags: [` ${'a'.repeat(TASK_LIMITS.tagMaxLength)}`] })).toThrow(
      'at most',
    );
  });

  it('refuses a patch whose only fields are unknown ones', () => {
    expect(() => parseTaskPatch({ colour: 'red' })).toThrow('No valid fields to update');
  });
});
