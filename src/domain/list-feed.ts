import type { ListChange, ListTombstone, MemberList } from './task-list.js';

/**
 * The lists feed, `GET /lists?updatedSince=…`, as one rule both list stores apply: a principal's lists
 * (and tombstones) changed in [since, until), ordered by `updatedAt` then `listId`, a page after a cursor's
 * position. The horizon (`until`) is the task feed's, for the same reason (`change-feed.ts`).
 */
export interface ListFeedWindow {
  readonly since: string;
  readonly until: string;
  /** The position (`<updatedAt>#<listId>`) of the last entry of the previous page. */
  readonly after?: string;
  readonly limit: number;
}

const positionOf = (change: ListChange): string => `${change.updatedAt}#${change.listId}`;

/** A list the caller reaches, as of the later of its own change and the caller's membership's. */
export const changedList = (list: MemberList, memberUpdatedAt: string | undefined): MemberList =>
  memberUpdatedAt !== undefined && memberUpdatedAt > list.updatedAt
    ? { ...list, updatedAt: memberUpdatedAt }
    : list;

export const listTombstone = (listId: string, updatedAt: string): ListTombstone => ({
  listId,
  deleted: true,
  updatedAt,
});

/** One page of the feed, and the position to continue after when more follow. */
export function feedPage(
  changes: readonly ListChange[],
  { since, until, after, limit }: ListFeedWindow,
): { items: ListChange[]; next?: string } {
  const due = changes
    .filter((change) => change.updatedAt >= since && change.updatedAt < until)
    .filter((change) => after === undefined || positionOf(change) > after)
    .sort((a, b) => (positionOf(a) < positionOf(b) ? -1 : 1));
  const items = due.slice(0, limit);
  const last = items.at(-1);
  return { items, ...(due.length > limit && { next: last ? positionOf(last) : (after ?? '') }) };
}
