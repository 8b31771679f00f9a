import { ValidationError } from '../domain/errors.js';
import { type ListQuery, type ListSort, unservableReason } from '../domain/list-query.js';
import { dueInstant, type Task } from '../domain/task.js';
import { outlineKeyOf, type Placed } from '../domain/task-order.js';

/**
 * The sort keys both stores order by, so the in-memory store orders exactly as the DynamoDB indexes do.
 * Each ends in the taskId, which makes the order total: equal dates still page stably.
 */
const NO_DUE = '~'; // sorts after every date, so tasks without a due date come last in ascending order

export const dueKeyOf = (taskId: string, dueDate: string | undefined): string =>
  `${dueDate === undefined ? NO_DUE : dueInstant(dueDate)}#${taskId}`;

export const updatedKeyOf = (taskId: string, updatedAt: string): string => `${updatedAt}#${taskId}`;

/** A task's key in a sort; `position` needs a subtask's parent, whose outline key it extends. */
export function sortKeyOf(task: Task, sort: ListSort, parent?: Placed): string {
  if (sort === 'dueDate') return dueKeyOf(task.taskId, task.dueDate);
  if (sort === 'updatedAt') return updatedKeyOf(task.taskId, task.updatedAt);
  if (sort === 'position') return outlineKeyOf(task, parent);
  return task.taskId;
}

/** The sort-key range a due filter selects: `lo` ≤ key < `hi`. Tasks without a due date fall outside. */
export function dueRangeOf(query: ListQuery): { lo: string; hi: string } | undefined {
  if (query.dueBefore === undefined && query.dueAfter === undefined) return undefined;
  return { lo: query.dueAfter ?? '', hi: query.dueBefore ?? NO_DUE };
}

/**
 * The cursor's binding: the list (its partition) and the whole query except where a page starts (`cursor`) and how long
 * it is (`limit`), so a cursor cannot be reused with another filter, including one added later. Defaults
 * are filled in and keys sorted, so the same query written two ways binds alike.
 */
export function cursorBinding(scope: string, query: ListQuery): string {
  const {
    cursor: _cursor,
    limit: _limit,
    ...shape
  } = { ...query, sort: sortOf(query), order: orderOf(query) };
  const fields = Object.entries(shape)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([scope, fields]);
}

export const sortOf = (query: ListQuery): ListSort =>
  query.sort ?? (query.parentId !== undefined ? 'position' : 'createdAt');
export const orderOf = (query: ListQuery): 'asc' | 'desc' => query.order ?? 'asc';

/** Stores refuse what no index serves, even when called directly, so the fake cannot be more lenient. */
export function assertServable(query: ListQuery): void {
  const reason = unservableReason(query);
  if (reason) throw new ValidationError(reason, [{ field: '(query)', message: reason }]);
}

/** The change feed's cursor binding: the list (its partition) and the instant the sync started from. */
export const changesBinding = (scope: string, since: string): string =>
  JSON.stringify([scope, 'changes', since]);
