/**
 * The board's list as pure functions (unit-tested in list-view.test.ts): the query the filters stand for,
 * and how a change (from the feed, or from this tab's own writes) moves, adds or removes a task in the
 * list shown, in the order the API lists it, so the board stays live without reloading.
 */
import { dueInstant, type TaskStatus } from '../../src/domain/task.js';
import {
  isTombstone,
  type ListTasksQuery,
  type Page,
  type Task,
  type TaskChangeEntry,
  type Versioned,
  versionedOf,
} from './task-api.js';
import { tagsOf } from './task-form.js';

export type Sort = NonNullable<ListTasksQuery['sort']>;
export type Order = NonNullable<ListTasksQuery['order']>;

export interface Filters {
  readonly status: TaskStatus | '';
  readonly tag: string;
  readonly sort: Sort;
  readonly order: Order;
}

export const NO_FILTERS: Filters = { status: '', tag: '', sort: 'createdAt', order: 'desc' };
export const PAGE_SIZE = 20;

export const SORT_LABELS: Record<Sort, string> = {
  createdAt: 'Created',
  updatedAt: 'Last updated',
  dueDate: 'Due date',
};
/** Each sort names its two orders in its own words; the first is the one a new sort starts with. */
type Labelled = readonly [Order, string];
export const ORDER_LABELS: Record<Sort, readonly [Labelled, Labelled]> = {
  createdAt: [
    ['desc', 'Newest first'],
    ['asc', 'Oldest first'],
  ],
  updatedAt: [
    ['desc', 'Recently updated first'],
    ['asc', 'Least recently updated first'],
  ],
  dueDate: [
    ['asc', 'Soonest due first'],
    ['desc', 'Latest due first'],
  ],
};

/** The tag a filter text names: the first word, without the `#` the board shows tags with. */
export const tagOf = (text: string): string => tagsOf(text)[0]?.toLowerCase() ?? '';

/** The list query. The tag indexes list by creation only and serve no status, so a tag overrides both. */
export function queryOf(filters: Filters): ListTasksQuery {
  const base = { limit: PAGE_SIZE, order: filters.order };
  const tag = tagOf(filters.tag);
  if (tag) return { ...base, tag };
  return { ...base, sort: filters.sort, ...(filters.status && { status: filters.status }) };
}

/** Two filters that ask for the same list share one key. */
export const listKeyOf = (filters: Filters): string => JSON.stringify(queryOf(filters));

/** Whether the list these filters ask for includes the task. */
export function matches(task: Task, filters: Filters): boolean {
  const tag = tagOf(filters.tag);
  if (tag) return task.tags.includes(tag);
  return filters.status === '' || task.status === filters.status;
}

/** The key the API orders by (src/store/list-order.ts): each ends in the taskId, a UUIDv7, so it is total. */
function sortKeyOf(task: Task, query: ListTasksQuery): string {
  if (query.sort === 'updatedAt') return `${task.updatedAt}#${task.taskId}`;
  if (query.sort === 'dueDate') return `${task.dueDate ? dueInstant(task.dueDate) : '~'}#${task.taskId}`;
  return task.taskId;
}

/** Negative when `a` comes before `b` in the list the query asks for. */
function compare(a: Task, b: Task, query: ListTasksQuery): number {
  const [x, y] = [sortKeyOf(a, query), sortKeyOf(b, query)];
  const ascending = x < y ? -1 : x > y ? 1 : 0;
  return query.order === 'desc' ? -ascending : ascending;
}

export interface ListShown {
  /** The filters' key (listKeyOf) the list was loaded for: a list for other filters is never shown. */
  readonly key: string;
  readonly items: readonly Versioned[];
  /** Where the next page starts, when more tasks remain beyond the ones loaded. */
  readonly next?: ListTasksQuery;
}

/**
 * Applies changes in order. A tombstone removes its task; a task newer than the one shown replaces it,
 * moves to its place, or leaves when it no longer matches; a new matching task joins at its place, unless
 * that place lies beyond the pages loaded (Load more brings it then). An older or equal version changes nothing,
 * so a change seen twice (the feed and this tab's own answer) is applied once.
 */
export function applyChanges(
  list: ListShown,
  entries: readonly TaskChangeEntry[],
  filters: Filters,
): ListShown {
  const query = queryOf(filters);
  const items = [...list.items];
  for (const entry of entries) {
    const at = items.findIndex((item) => item.task.taskId === entry.taskId);
    const shown = items[at];
    if (isTombstone(entry)) {
      if (at >= 0) items.splice(at, 1);
      continue;
    }
    if (shown && shown.task.version >= entry.version) continue;
    if (at >= 0) items.splice(at, 1);
    if (!matches(entry, filters)) continue;
    const place = items.findIndex((item) => compare(entry, item.task, query) < 0);
    if (place >= 0) items.splice(place, 0, versionedOf(entry));
    else if (!list.next) items.push(versionedOf(entry));
  }
  return { ...list, items };
}

/** Whether the task is overdue or due today, for a person in this time zone; nothing once it is done. */
export type DueState = 'overdue' | 'today' | undefined;

const localDay = (date: Date): string =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

export function dueStateOf(task: Task, now: Date): DueState {
  if (!task.dueDate || task.status === 'DONE') return undefined;
  const timed = /T/i.test(task.dueDate);
  const day = timed ? localDay(new Date(task.dueDate)) : task.dueDate;
  const today = localDay(now);
  if (day < today || (timed && Date.parse(task.dueDate) < now.getTime())) return 'overdue';
  return day === today ? 'today' : undefined;
}

/** The next page, after the tasks shown; one that joined live meanwhile is not shown twice. */
export function appendPage(list: ListShown, page: Page): ListShown {
  const shown = new Set(list.items.map((item) => item.task.taskId));
  const items = [...list.items, ...page.items.filter((item) => !shown.has(item.task.taskId))];
  return page.next ? { key: list.key, items, next: page.next } : { key: list.key, items };
}
