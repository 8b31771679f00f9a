import { ValidationError } from '../domain/errors.js';
import { type ListQuery, type ListSort, unservableReason } from '../domain/list-query.js';
import { dueInstant, type Task } from '../domain/task.js';

/**
 * The sort keys both stores order by, so the in-memory store orders exactly as the DynamoDB indexes do.
 * Each ends in the taskId, which makes the order total: equal dates still page stably.
 */
const NO_DUE = '~'; // sorts after every date, so tasks without a due date come last in ascending order

export const dueKeyOf = (taskId: string, dueDate: string | undefined): string =>
  `${dueDate === undefined ? NO_DUE : dueInstant(dueDate)}#${taskId}`;

export const updatedKeyOf = (taskId: string, updatedAt: string): string => `${updatedAt}#${taskId}`;

export function sortKeyOf(task: Task, sort: ListSort): string {
  if (sort === 'dueDate') return dueKeyOf(task.taskId, task.dueDate);
  if (sort === 'updatedAt') return updatedKeyOf(task.taskId, task.updatedAt);
  return task.taskId;
}

/** The sort-key range a due filter selects: `lo` ≤ key < `hi`. Tasks without a due date fall outside. */
export function dueRangeOf(query: ListQuery): { lo: string; hi: string } | undefined {
  if (query.dueBefore === undefined && query.dueAfter === undefined) return undefined;
  return { lo: query.dueAfter ?? '', hi: query.dueBefore ?? NO_DUE };
}

/**
 * The cursor's binding: the owner and the whole query except where a page starts (`cursor`) and how long
 * it is (`limit`), so a cursor cannot be reused with another filter, including one added later. Defaults
 * are filled in and keys sorted, so the same query written two ways binds alike.
 */
export function cursorBinding(ownerId: string, query: ListQuery): string {
  const {
    cursor: _cursor,
    limit: _limit,
    ...shape
  } = { ...query, sort: sortOf(query), order: orderOf(query) };
  const fields = Object.entries(shape)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([ownerId, fields]);
}

export const sortOf = (query: ListQuery): ListSort => query.sort ?? 'createdAt';
export const orderOf = (query: ListQuery): 'asc' | 'desc' => query.order ?? 'asc';

/** Stores refuse what no index serves, even when called directly, so the fake cannot be more lenient. */
export function assertServable(query: ListQuery): void {
  const reason = unservableReason(query);
  if (reason) throw new ValidationError(reason, [{ field: '(query)', message: reason }]);
}

/** The change feed's cursor binding: the owner and the instant the sync started from. */
export const changesBinding = (ownerId: string, since: string): string =>
  JSON.stringify([ownerId, 'changes', since]);
