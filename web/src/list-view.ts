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

/** The board opens on the manual order: the list as its owner arranged it, subtasks under their parent. */
export const NO_FILTERS: Filters = { status: '', tag: '', sort: 'position', order: 'asc' };
export const PAGE_SIZE = 20;

export const SORT_LABELS: Record<Sort, string> = {
  position: 'Manual order',
  createdAt: 'Created',
  updatedAt: 'Last updated',
  dueDate: 'Due date',
};
/**
 * Each sort names its orders in its own words; the first is the one a new sort starts with. The manual
 * order has one: read backwards, an outline would show each subtask above its parent.
 */
type Labelled = readonly [Order, string];
export const ORDER_LABELS: Record<Sort, readonly [Labelled, ...Labelled[]]> = {
  position: [['asc', 'As arranged']],
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

/**
 * The sort the list is in: the tag indexes list by creation only, and the manual order takes no filter
 * (the API answers 400), so a status filter over it lists by creation, oldest first, like the outline.
 */
export function listedSortOf(filters: Filters): Sort {
  if (tagOf(filters.tag) || (filters.sort === 'position' && filters.status)) return 'createdAt';
  return filters.sort;
}

/** Whether the list shown is the manual order, the one a task can be moved in. */
export const isOutline = (filters: Filters): boolean => listedSortOf(filters) === 'position';

/** The list query. The tag indexes list by creation only and serve no status, so a tag overrides both. */
export function queryOf(filters: Filters): ListTasksQuery {
  const tag = tagOf(filters.tag);
  const sort = listedSortOf(filters);
  const order = ORDER_LABELS[sort].some(([o]) => o === filters.order) ? filters.order : 'asc';
  const base = { limit: PAGE_SIZE, order };
  if (tag) return { ...base, tag };
  return { ...base, sort, ...(filters.status && { status: filters.status }) };
}

/** Two filters that ask for the same list share one key. */
export const listKeyOf = (filters: Filters): string => JSON.stringify(queryOf(filters));

/** Whether the list these filters ask for includes the task. */
export function matches(task: Task, filters: Filters): boolean {
  const tag = tagOf(filters.tag);
  if (tag) return task.tags.includes(tag);
  return filters.status === '' || task.status === filters.status;
}

/** The positions of the top-level tasks shown, by id: where a subtask's outline key begins. */
type Parents = ReadonlyMap<string, string>;

/**
 * The key the API orders by (src/store/list-order.ts): each ends in the taskId, a UUIDv7, so it is total.
 * In the manual order a subtask's key starts with its parent's, so it follows the parent; `#` sorts below
 * every character of a position, so a shorter position sorts first, as byte-wise comparison has it.
 */
function sortKeyOf(task: Task, query: ListTasksQuery, parents: Parents): string {
  if (query.sort === 'updatedAt') return `${task.updatedAt}#${task.taskId}`;
  if (query.sort === 'dueDate') return `${task.dueDate ? dueInstant(task.dueDate) : '~'}#${task.taskId}`;
  if (query.sort === 'position') {
    const own = `${task.position}#${task.taskId}`;
    return task.parentId ? `${parents.get(task.parentId) ?? '~'}#${task.parentId}#${own}` : own;
  }
  return task.taskId;
}

const parentsOf = (items: readonly Versioned[]): Parents =>
  new Map(items.filter(({ task }) => !task.parentId).map(({ task }) => [task.taskId, task.position]));

/** Negative when `a` comes before `b` in the list the query asks for. */
function compare(a: Task, b: Task, query: ListTasksQuery, parents: Parents): number {
  const [x, y] = [sortKeyOf(a, query, parents), sortKeyOf(b, query, parents)];
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
  let items = [...list.items];
  for (const entry of entries) {
    const at = items.findIndex((item) => item.task.taskId === entry.taskId);
    const shown = items[at];
    if (isTombstone(entry)) {
      // Deleting a task deletes its subtasks: they leave with it, before the feed brings their tombstones.
      items = items.filter(({ task }) => task.taskId !== entry.taskId && task.parentId !== entry.taskId);
      continue;
    }
    if (shown && shown.task.version >= entry.version) continue;
    if (at >= 0) items.splice(at, 1);
    if (!matches(entry, filters)) continue;
    const parents = parentsOf(items);
    const place = items.findIndex((item) => compare(entry, item.task, query, parents) < 0);
    if (place >= 0) items.splice(place, 0, versionedOf(entry));
    else if (!list.next) items.push(versionedOf(entry));
  }
  // A parent that moved takes its subtasks along: they sort after it again.
  if (query.sort === 'position') {
    const parents = parentsOf(items);
    items.sort((a, b) => compare(a.task, b.task, query, parents));
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
