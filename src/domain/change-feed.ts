import * as z from 'zod/mini';
import { ResyncRequiredError } from './errors.js';
import type { Task } from './task.js';

/**
 * The change feed, `GET /tasks?updatedSince=…`: every task changed at or after an instant, oldest change
 * first, and a tombstone for each task deleted since.
 *
 * The guarantee: a client that passes back the greatest `updatedAt` it has received never misses a change.
 * A write takes its `updatedAt` before it is stored, so a change can become visible (in the index the feed
 * reads) a little after a later change did. The feed therefore serves only changes that have settled:
 * those with `updatedAt` earlier than the horizon, `settleMs` before the first page of a sync was read
 * (the cursor carries the horizon, so every page of one sync shares it). Every change older than the
 * horizon was visible by then, so none can appear later behind the position a client has reached; a change
 * younger than the horizon comes in the next sync, which starts from it.
 *
 * `settleMs` bounds how long a write may take from its `updatedAt` to being visible in the index: the
 * request deadline (2.5 s) plus the index's propagation (usually well under a second on DynamoDB).
 */
export const FEED_LIMITS = Object.freeze({
  /** Tombstones are kept this long (then the table's TTL removes them); older instants get a 410. */
  retentionDays: 30,
  settleMs: 5_000,
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** A deleted task, as the feed shows it. */
export const TombstoneSchema = z
  .strictObject({ taskId: z.uuid(), deleted: z.literal(true), updatedAt: z.iso.datetime() })
  .check(z.meta({ description: 'A task deleted at `updatedAt`: only the change feed shows it.' }));
export type Tombstone = z.infer<typeof TombstoneSchema>;

export type TaskChangeEntry = Task | Tombstone;

export const isTombstone = (entry: TaskChangeEntry): entry is Tombstone => 'deleted' in entry;

/** What a store is asked for: the settled changes in [since, until), a page at a time. */
export interface ChangesQuery {
  readonly since: string;
  /** The horizon, exclusive, for a first page; a cursor carries its sync's own horizon instead. */
  readonly until: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ChangePage {
  readonly items: readonly TaskChangeEntry[];
  readonly nextCursor?: string;
}

/** When a tombstone written at `deletedAt` may go: epoch seconds, for the table's TTL attribute. */
export const tombstoneExpiry = (deletedAt: string): number =>
  Math.floor((Date.parse(deletedAt) + FEED_LIMITS.retentionDays * DAY_MS) / 1000);

/** Refuses an instant older than the retention: tombstones from before it may be gone. */
export function assertRetained(since: string, now: Date): void {
  if (Date.parse(since) < now.getTime() - FEED_LIMITS.retentionDays * DAY_MS)
    throw new ResyncRequiredError(FEED_LIMITS.retentionDays, FEED_LIMITS.settleMs / 1000);
}

/** The horizon of a sync starting now. */
export const horizonOf = (now: Date, settleMs: number = FEED_LIMITS.settleMs): string =>
  new Date(now.getTime() - settleMs).toISOString();
