import { describe, expect, it } from 'vitest';
import { CreateTaskSchema, TASK_LIMITS } from '../../src/domain/task.js';
import type { Task } from './task-api.js';
import {
  bodyOf,
  checkBody,
  checkPatch,
  draftOf,
  EMPTY_DRAFT,
  FIELD_ORDER,
  FORM_FIELDS,
  fieldErrorsFrom,
  patchOf,
  rebaseDraft,
  tagsOf,
} from './task-form.js';

const task: Task = {
  taskId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d',
  listId: '@default',
  position: 'a0',
  title: 'Write the report',
  description: 'Numbers first',
  status: 'PENDING',
  priority: 'HIGH',
  dueDate: '2026-12-01T17:00:00+02:00',
  tags: ['work', 'q4'],
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  version: 3,
};

describe('the task form', () => {
  it('edits every field a create accepts but the status and the parent, which a card sets in place', () => {
    const accepted = Object.keys(CreateTaskSchema.shape).filter(
      (field) => field !== 'status' && field !== 'parentId',
    );
    expect([...FIELD_ORDER].sort()).toEqual(accepted.sort());
  });

  it('limits the text fields to the API’s own lengths', () => {
    expect(FORM_FIELDS.title.control).toMatchObject({ maxLength: TASK_LIMITS.titleMaxLength });
    expect(FORM_FIELDS.description.control).toMatchObject({ maxLength: TASK_LIMITS.descriptionMaxLength });
  });

  it('sends only what a new draft holds: a bare title is a bare create', () => {
    expect(bodyOf({ ...EMPTY_DRAFT, title: '  Buy milk ' })).toEqual({
      title: 'Buy milk',
      priority: 'MEDIUM',
    });
  });

  it('sends every filled field of a draft, tags with or without their #', () => {
    const draft = {
      title: 'T',
      description: ' d ',
      dueDate: '2026-12-01',
      priority: 'LOW',
      tags: '#work, home  #q4',
    };
    expect(bodyOf(draft)).toEqual({
      title: 'T',
      description: 'd',
      dueDate: '2026-12-01',
      priority: 'LOW',
      tags: ['work', 'home', 'q4'],
    });
  });

  it('shows a task as the form holds it, and an unchanged draft patches nothing', () => {
    const draft = draftOf(task);
    expect(draft).toEqual({
      title: 'Write the report',
      description: 'Numbers first',
      dueDate: '2026-12-01',
      priority: 'HIGH',
      tags: '#work, #q4',
    });
    // The date-time due date is shown as its day, and survives an edit of another field.
    expect(patchOf(draft, task)).toEqual({});
    expect(patchOf({ ...draft, title: 'Write it' }, task)).toEqual({ title: 'Write it' });
  });

  it('clears an emptied field: null for the due date, empty for the rest', () => {
    const draft = { ...draftOf(task), dueDate: '', tags: '', description: '' };
    expect(patchOf(draft, task)).toEqual({ dueDate: null, tags: [], description: '' });
  });

  it('checks a draft with the API’s schema, so the messages are the API’s, by field', () => {
    expect(checkBody(bodyOf({ ...EMPTY_DRAFT, title: 'T', tags: 'a b c d e f' }))).toEqual({
      tags: `At most ${TASK_LIMITS.maxTags} tags`,
    });
    expect(checkBody(bodyOf(EMPTY_DRAFT))).toHaveProperty('title');
    expect(checkPatch({ title: 'x'.repeat(TASK_LIMITS.titleMaxLength + 1) })).toEqual({
      title: `Field 'title' must be at most ${TASK_LIMITS.titleMaxLength} characters`,
    });
    expect(checkBody(bodyOf({ ...EMPTY_DRAFT, title: 'T', tags: '#work' }))).toEqual({});
  });

  it('places each API field error beside its field, and the rest under the form', () => {
    expect(
      fieldErrorsFrom([
        { field: 'tags.2', message: 'bad tag' },
        { field: 'tags', message: 'second' },
        { field: '(body)', message: 'whole body' },
      ]),
    ).toEqual({ tags: 'bad tag', form: 'whole body' });
  });

  it('reads tags separated by commas or spaces, with or without #', () => {
    expect(tagsOf(' #work,home ##q4 ,, ')).toEqual(['work', 'home', 'q4']);
  });
});

describe('a draft after a 412', () => {
  it('keeps what the user changed and takes the current version of the rest', () => {
    const current = { ...task, title: 'Renamed elsewhere', priority: 'LOW' as const, version: 4 };
    const draft = { ...draftOf(task), description: 'Mine', priority: 'MEDIUM' };
    expect(rebaseDraft(draft, task, current)).toEqual({
      ...draftOf(current),
      description: 'Mine',
      priority: 'MEDIUM',
    });
    expect(patchOf(rebaseDraft(draft, task, current), current)).toEqual({
      description: 'Mine',
      priority: 'MEDIUM',
    });
  });
});
