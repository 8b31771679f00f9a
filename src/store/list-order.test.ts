import { describe, expect, it } from 'vitest';
import { type ListQuery, ListQueryParamsSchema } from '../domain/list-query.js';
import { cursorBinding } from './list-order.js';

/** Two values of each parameter that shapes a page; the schema's keys must all be here (checked below). */
const VARIANTS: Record<string, readonly [unknown, unknown]> = {
  status: ['PENDING', 'DONE'],
  tag: ['home', 'work'],
  parentId: ['0190a8a4-0000-7000-8000-000000000001', '0190a8a4-0000-7000-8000-000000000002'],
  dueBefore: ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  dueAfter: ['2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'],
  sort: ['dueDate', 'updatedAt'],
  order: ['asc', 'desc'],
  updatedSince: ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
};
const base: ListQuery = { limit: 10 };
const bind = (query: object, ownerId = 'alice') => cursorBinding(ownerId, query as ListQuery);

describe('cursorBinding', () => {
  it('knows a variant of every list parameter except cursor and limit', () => {
    const params = Object.keys(ListQueryParamsSchema.shape).filter((k) => k !== 'cursor' && k !== 'limit');
    expect(Object.keys(VARIANTS).sort()).toEqual(params.sort());
  });

  it.each(Object.entries(VARIANTS))('binds %s', (field, [one, other]) => {
    expect(bind({ ...base, [field]: one })).not.toBe(bind({ ...base, [field]: other }));
  });

  it('binds a filter added after it was written', () => {
    expect(bind({ ...base, priority: 'HIGH' })).not.toBe(bind({ ...base, priority: 'LOW' }));
    expect(bind({ ...base, priority: 'HIGH' })).not.toBe(bind(base));
  });

  it('binds the owner', () => {
    expect(bind(base, 'alice')).not.toBe(bind(base, 'bob'));
  });

  it('leaves out where the page starts and how long it is', () => {
    expect(bind({ ...base, cursor: 'abc', limit: 3 })).toBe(bind({ ...base, limit: 50 }));
  });

  it('binds a query written with its defaults as the same query without them', () => {
    expect(bind({ ...base, sort: 'createdAt', order: 'asc' })).toBe(bind(base));
    expect(bind({ ...base, tag: undefined })).toBe(bind(base));
    expect(bind({ limit: 1, tag: 'a', order: 'desc' })).toBe(bind({ order: 'desc', tag: 'a', limit: 1 }));
  });
});
