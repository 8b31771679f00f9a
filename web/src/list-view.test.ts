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
    listId: '@default',
    position: `a${serial}`,
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

const NEWEST: Filters = { ...NO_FILTERS, sort: 'createdAt', order: 'desc' };

describe('the list query the filters stand for', () => {
  it('asks for a page in the manual order by default', () => {
    expect(queryOf(NO_FILTERS)).toEqual({ limit: PAGE_SIZE, order: 'asc', sort: 'position' });
  });

  it('lists by creation, oldest first, when a status filters the manual order (the API refuses both)', () => {
    expect(queryOf({ ...NO_FILTERS, status: 'DONE' })).toEqual({
      limit: PAGE_SIZE,
      order: 'asc',
      sort: 'createdAt',
      status: 'DONE',
    });
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
    expect(titles(applyChanges(listOf([b, a]), [c], NEWEST))).toEqual([c.title, b.title, a.title]);
  });

  it('adds nothing beyond the pages loaded: Load more brings it', () => {
    const older = taskOf();
    const [a, b] = [taskOf(), taskOf()];
    const list = listOf([b, a], NEWEST, true);
    expect(titles(applyChanges(list, [older], NEWEST))).toEqual([b.title, a.title]);
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
    const applied = applyChanges(list, [newer], NEWEST);
    expect(titles(applied)).toEqual(['Renamed']);
    expect(applied.items[0]?.etag).toBe('"2"');
    expect(titles(applyChanges(applied, [a], NEWEST))).toEqual(['Renamed']);
  });

  it('removes a deleted task, and one that no longer matches the filters', () => {
    const [a, b] = [taskOf(), taskOf()];
    const todo: Filters = { ...NEWEST, status: 'PENDING' };
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
    const byUpdate: Filters = { ...NEWEST, sort: 'updatedAt' };
    const [a, b] = [
      taskOf({ updatedAt: '2026-11-01T10:00:00.000Z' }),
      taskOf({ updatedAt: '2026-11-02T10:00:00.000Z' }),
    ];
    const touched = { ...a, updatedAt: '2026-11-03T10:00:00.000Z', version: 2 };
    expect(titles(applyChanges(listOf([b, a], byUpdate), [touched], byUpdate))).toEqual([a.title, b.title]);
  });

  it('orders by due date as the API does, undated tasks last', () => {
    const byDue: Filters = { ...NEWEST, sort: 'dueDate', order: 'asc' };
    const [undated, late] = [taskOf(), taskOf({ dueDate: '2027-01-01' })];
    const soon = taskOf({ dueDate: '2026-12-01T09:00:00+02:00' });
    expect(titles(applyChanges(listOf([late, undated], byDue), [soon], byDue))).toEqual([
      soon.title,
      late.title,
      undated.title,
    ]);
  });

  it('keeps tasks of the tag filtered by', () => {
    const byTag: Filters = { ...NEWEST, tag: '#home' };
    const [home, work] = [taskOf({ tags: ['home'] }), taskOf({ tags: ['work'] })];
    expect(titles(applyChanges(listOf([], byTag), [home, work], byTag))).toEqual([home.title]);
  });
});

describe('a change applied to the manual order', () => {
  const outline = () => {
    const [a, b] = [taskOf({ position: 'a1' }), taskOf({ position: 'a2' })];
    const a1 = taskOf({ position: 'a1', parentId: a.taskId });
    return { a, b, a1, list: listOf([a, a1, b]) };
  };

  it('places a new subtask under its parent, after its siblings, and a new task by its position', () => {
    const { a, b, a1, list } = outline();
    const a2 = taskOf({ position: 'a2', parentId: a.taskId });
    const first = taskOf({ position: 'a0V' });
    expect(titles(applyChanges(list, [a2, first], NO_FILTERS))).toEqual([
      first.title,
      a.title,
      a1.title,
      a2.title,
      b.title,
    ]);
  });

  it('moves a parent with its subtasks, comparing positions byte-wise', () => {
    const { a, b, a1, list } = outline();
    // 'a2' < 'a2V' < 'a3' byte-wise; localeCompare would disagree on some (e.g. 'Z' against 'a').
    const moved = { ...a, position: 'a2V', version: 2 };
    expect(titles(applyChanges(list, [moved], NO_FILTERS))).toEqual([b.title, a.title, a1.title]);
    const upper = { ...b, position: 'Zz', version: 2 };
    expect(titles(applyChanges(list, [upper], NO_FILTERS))).toEqual([b.title, a.title, a1.title]);
  });

  it('removes the subtasks of a deleted task with it', () => {
    const { a, b, list } = outline();
    const after = applyChanges(
      list,
      [{ taskId: a.taskId, deleted: true, updatedAt: a.updatedAt }],
      NO_FILTERS,
    );
    expect(titles(after)).toEqual([b.title]);
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
