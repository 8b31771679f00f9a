import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { LIST_LIMITS, parseListQuery } from './list-query.js';

function messageOf(params: Record<string, string>): string {
  try {
    parseListQuery(params);
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseListQuery', () => {
  it('defaults to a page of the default size in creation order', () => {
    expect(parseListQuery({})).toEqual({ limit: LIST_LIMITS.defaultLimit, sort: 'createdAt' });
  });

  it('turns due bounds into UTC instants and sorts by due date when no sort is given', () => {
    expect(parseListQuery({ dueAfter: '2026-12-01', dueBefore: '2026-12-02T01:00:00+02:00' })).toEqual({
      limit: LIST_LIMITS.defaultLimit,
      dueAfter: '2026-12-01T00:00:00.000Z',
      dueBefore: '2026-12-01T23:00:00.000Z',
      sort: 'dueDate',
    });
  });

  it('normalises the tag like a task tag', () => {
    expect(parseListQuery({ tag: ' Work ' }).tag).toBe('work');
  });

  it.each(['0', '101', '1.5', 'ten', ''])('refuses limit=%j', (limit) => {
    expect(messageOf({ limit })).toBe(
      `Query parameter 'limit' must be an integer from 1 to ${LIST_LIMITS.maxLimit}`,
    );
  });

  it("refuses an unknown status with the original's `Invalid status`", () => {
    expect(messageOf({ status: 'LATER' })).toBe('Invalid status');
  });

  it.each([
    [{ tag: 'x', status: 'DONE' }, "'tag' cannot be combined"],
    [{ tag: 'x', dueBefore: '2026-01-01' }, "'tag' cannot be combined"],
    [{ tag: 'x', sort: 'dueDate' }, "'tag' can only be listed with sort=createdAt"],
    [{ dueBefore: '2026-01-01', sort: 'createdAt' }, 'need sort=dueDate'],
    [{ dueAfter: '2026-01-02', dueBefore: '2026-01-01' }, "'dueAfter' must be earlier"],
    [{ sort: 'title' }, "'sort' must be one of"],
    [{ order: 'up' }, "'order' must be asc or desc"],
  ])('refuses %j saying why', (params, reason) => {
    expect(messageOf(params as Record<string, string>)).toContain(reason);
  });

  it('serves status, a due range and either order together', () => {
    const query = parseListQuery({ status: 'DONE', dueAfter: '2026-01-01', order: 'desc' });
    expect(query).toMatchObject({ status: 'DONE', sort: 'dueDate', order: 'desc' });
  });
});

describe('parseListQuery with repeated and empty parameters', () => {
  it.each(['status', 'tag', 'limit', 'cursor', 'sort', 'order', 'dueBefore', 'dueAfter', 'updatedSince'])(
    'refuses %s given twice, naming it',
    (name) => {
      const params = { [name]: ['a', 'b'] };
      expect(() => parseListQuery(params)).toThrow(`Query parameter '${name}' must be given at most once`);
    },
  );

  it('takes a parameter given once in a multi-value map as its value', () => {
    expect(parseListQuery({ status: ['DONE'], limit: ['5'] })).toMatchObject({ status: 'DONE', limit: 5 });
  });

  it('ignores parameters it does not know, even repeated', () => {
    expect(parseListQuery({ x: ['1', '2'] })).toEqual(parseListQuery({}));
  });

  it.each(['', 'a b', 'x'.repeat(LIST_LIMITS.maxCursorLength + 1)])('refuses cursor=%j', (cursor) => {
    expect(messageOf({ cursor })).toMatch(/^Invalid cursor/);
  });
});
