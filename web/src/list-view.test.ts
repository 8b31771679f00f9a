import { describe, expect, it } from 'vitest';
import {
  appendPage,
  applyChanges,
  dueStateOf,
  type Filters,
  type ListShown,
  listKeyOf,
  NO_FILTERS,
  ORDER_LABELS,
  PAGE_SIZE,
  queryOf,
} from './list-view.js';
import { nextDelayOf, POLL_TIMING } from './poll-timing.js';
import { type Task, versionedOf } from './task-api.js';

let serial = 0;
/** Task ids are UUIDv7, so later ids sort later, as creation order does. */
function taskOf(fields: Partial<Task> = {}): Task {
  const id = `019a4f7e-3c1d-7a2b-9c3e-${String(++serial).padStart(12, '0')}`;
  const at = '2026-11-01T10:00:00.000Z';
  return {
    taskId: id,
    title: `Task ${serial}`,
    description: '',
    status: 'PENDING',
    priority: 'MEDIUM',
    tags: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...fields,
  };
}
const listOf = (tasks: Task[], filters: Filters = NO_FILTERS, more = false): ListShown => ({
  key: listKeyOf(filters),
  items: tasks.map(versionedOf),
  ...(more && { next: { cursor: 'c' } }),
});
const titles = (list: ListShown) => list.items.map((item) => item.task.title);

describe('the list query the filters stand for', () => {
  it('asks for a page, newest first, by default', () => {
    expect(queryOf(NO_FILTERS)).toEqual({ limit: PAGE_SIZE, order: 'desc', sort: 'createdAt' });
  });

  it('lets a tag, with or without #, override the status and the sort', () => {
    const filters: Filters = { status: 'DONE', tag: ' #Work ', sort: 'dueDate', order: 'asc' };
    expect(queryOf(filters)).toEqual({ limit: PAGE_SIZE, order: 'asc', tag: 'work' });
    expect(listKeyOf(filters)).toBe(listKeyOf({ ...filters, tag: 'work' }));
  });

  it('names the orders of a due date sort by due date', () => {
    expect(ORDER_LABELS.dueDate.map(([, label]) => label)).toEqual(['Soonest due first', 'Latest due first']);
  });
});

describe('a change applied to the list shown', () => {
  it('adds a new task at its place: newest first', () => {
    const [a, b] = [taskOf(), taskOf()];
    const c = taskOf();
    expect(titles(applyChanges(listOf([b, a]), [c], NO_FILTERS))).toEqual([c.title, b.title, a.title]);
  });

  it('adds nothing beyond the pages loaded: Load more brings it', () => {
    const older = taskOf();
    const [a, b] = [taskOf(), taskOf()];
    const list = listOf([b, a], NO_FILTERS, true);
    expect(titles(applyChanges(list, [older], NO_FILTERS))).toEqual([b.title, a.title]);
    expect(titles(appendPage(list, { items: [versionedOf(a), versionedOf(older)] }))).toEqual([
      b.title,
      a.title,
      older.title,
    ]);
  });

  it('replaces a task with a newer version, and ignores an older or equal one', () => {
    const a = taskOf();
    const list = listOf([a]);
    const newer = { ...a, title: 'Renamed', version: 2 };
    const applied = applyChanges(list, [newer], NO_FILTERS);
    expect(titles(applied)).toEqual(['Renamed']);
    expect(applied.items[0]?.etag).toBe('"2"');
    expect(titles(applyChanges(applied, [a], NO_FILTERS))).toEqual(['Renamed']);
  });

  it('removes a deleted task, and one that no longer matches the filters', () => {
    const [a, b] = [taskOf(), taskOf()];
    const todo: Filters = { ...NO_FILTERS, status: 'PENDING' };
    const list = listOf([b, a], todo);
    const done = { ...a, status: 'DONE' as const, version: 2 };
    const after = applyChanges(
      list,
      [done, { taskId: b.taskId, deleted: true, updatedAt: b.updatedAt }],
      todo,
    );
    expect(after.items).toEqual([]);
  });

  it('moves an updated task to the top when sorted by last update', () => {
    const byUpdate: Filters = { ...NO_FILTERS, sort: 'updatedAt' };
    const [a, b] = [
      taskOf({ updatedAt: '2026-11-01T10:00:00.000Z' }),
      taskOf({ updatedAt: '2026-11-02T10:00:00.000Z' }),
    ];
    const touched = { ...a, updatedAt: '2026-11-03T10:00:00.000Z', version: 2 };
    expect(titles(applyChanges(listOf([b, a], byUpdate), [touched], byUpdate))).toEqual([a.title, b.title]);
  });

  it('orders by due date as the API does, undated tasks last', () => {
    const byDue: Filters = { ...NO_FILTERS, sort: 'dueDate', order: 'asc' };
    const [undated, late] = [taskOf(), taskOf({ dueDate: '2027-01-01' })];
    const soon = taskOf({ dueDate: '2026-12-01T09:00:00+02:00' });
    expect(titles(applyChanges(listOf([late, undated], byDue), [soon], byDue))).toEqual([
      soon.title,
      late.title,
      undated.title,
    ]);
  });

  it('keeps tasks of the tag filtered by', () => {
    const byTag: Filters = { ...NO_FILTERS, tag: '#home' };
    const [home, work] = [taskOf({ tags: ['home'] }), taskOf({ tags: ['work'] })];
    expect(titles(applyChanges(listOf([], byTag), [home, work], byTag))).toEqual([home.title]);
  });
});

describe('the due mark', () => {
  const now = new Date(2026, 11, 7, 13, 0); // 7 December 2026, 13:00 local time

  it('marks a task overdue from the day after its due date, and due today on the day', () => {
    expect(dueStateOf(taskOf({ dueDate: '2020-03-01' }), now)).toBe('overdue');
    expect(dueStateOf(taskOf({ dueDate: '2026-12-07' }), now)).toBe('today');
    expect(dueStateOf(taskOf({ dueDate: '2026-12-08' }), now)).toBeUndefined();
    expect(dueStateOf(taskOf(), now)).toBeUndefined();
  });

  it('marks a date-time due earlier today overdue, and nothing once done', () => {
    expect(dueStateOf(taskOf({ dueDate: new Date(2026, 11, 7, 9).toISOString() }), now)).toBe('overdue');
    expect(dueStateOf(taskOf({ dueDate: new Date(2026, 11, 7, 18).toISOString() }), now)).toBe('today');
    expect(dueStateOf(taskOf({ dueDate: '2020-03-01', status: 'DONE' }), now)).toBeUndefined();
  });
});

describe('the polling schedule', () => {
  it('polls often while visible, rarely while hidden, and backs off while failing', () => {
    expect(nextDelayOf(true, 0)).toBe(POLL_TIMING.visibleMs);
    expect(nextDelayOf(false, 0)).toBe(POLL_TIMING.hiddenMs);
    expect(nextDelayOf(true, 2)).toBe(4 * POLL_TIMING.visibleMs);
    expect(nextDelayOf(true, 20)).toBe(POLL_TIMING.maxBackoffMs);
    expect(nextDelayOf(false, 3)).toBe(POLL_TIMING.maxBackoffMs);
  });
});
