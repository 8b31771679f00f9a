/**
 * The table's key design, shared by the DynamoDB adapter, the local table bootstrap and the CDK stack so
 * the three cannot drift apart. docs/operate.md ("What it costs") has the measured trade-off behind it.
 *
 * - Base table: `pk` = `T#<ownerId>`, `sk` = taskId (UUIDv7, so the sort key orders by creation). A deleted
 *   task stays as a small tombstone item (`deleted`, `updatedAt`, `expiresAt`) for the change feed.
 * - `statusKey` = `T#<ownerId>#<status>`: every listing reads status partitions, one when the query names a
 *   status, all three merged when it does not. Tombstones have none, so no listing sees them.
 * - `feedKey` = `T#<ownerId>#<status>`, or `T#<ownerId>#~deleted` on a tombstone: the change feed merges all
 *   four partitions in `updatedKey` order.
 * - `dueKey` = `<due instant>#<taskId>` (`~#<taskId>` without a due date, so those sort last) and
 *   `updatedKey` = `<updatedAt>#<taskId>`: the taskId suffix keeps the order total and stable.
 * - `tag<i>Key` = `T#<ownerId>#<tag>` for the i-th tag: a tag lives in one slot per task, so a tag filter is
 *   one Query per slot, merged.
 *
 * `byStatus` projects whole items, so the default listing and the status filter read one round trip. The
 * other indexes project only the keys: an update that moves none of their keys costs them nothing, and a
 * page is read back from the table with one BatchGetItem.
 */
import { TASK_LIMITS } from '../domain/task.js';

export const TABLE_KEYS = Object.freeze({ partitionKey: 'pk', sortKey: 'sk' });

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** `KEYS_ONLY`: a page is then read back from the table; `ALL`: the index holds whole items. */
  readonly projection: 'KEYS_ONLY' | 'ALL';
}

/**
 * One tag slot, and so one tag index, per tag a task may carry: the domain's limit is the only copy of the
 * number, so raising it adds slots and indexes rather than leaving tags out of every index.
 */
export const MAX_TAG_SLOTS = TASK_LIMITS.maxTags;

export const KEY_ATTRIBUTES = Object.freeze({
  status: 'statusKey',
  feed: 'feedKey',
  due: 'dueKey',
  updated: 'updatedKey',
  tag: (slot: number) => `tag${slot}Key`,
});

/** The tag indexes by slot: `byTag0` holds each task's first tag, `byTag1` its second, and so on. */
export const TAG_INDEXES: readonly IndexDefinition[] = Object.freeze(
  Array.from({ length: MAX_TAG_SLOTS }, (_, slot) => ({
    indexName: `byTag${slot}`,
    partitionKey: KEY_ATTRIBUTES.tag(slot),
    sortKey: TABLE_KEYS.sortKey,
    projection: 'KEYS_ONLY' as const,
  })),
);

/**
 * Every GSI of the table. CloudFormation adds at most one GSI per stack update to an existing table, so
 * adding several to a deployed table takes one deployment each.
 */
export const INDEXES = Object.freeze({
  byStatus: {
    indexName: 'byStatus',
    partitionKey: KEY_ATTRIBUTES.status,
    sortKey: TABLE_KEYS.sortKey,
    // The default listing and the status filter, the reads clients make most, stay one round trip.
    projection: 'ALL',
  },
  byStatusDue: {
    indexName: 'byStatusDue',
    partitionKey: KEY_ATTRIBUTES.status,
    sortKey: KEY_ATTRIBUTES.due,
    projection: 'KEYS_ONLY',
  },
  byFeed: {
    indexName: 'byFeed',
    partitionKey: KEY_ATTRIBUTES.feed,
    sortKey: KEY_ATTRIBUTES.updated,
    projection: 'KEYS_ONLY',
  },
  ...Object.fromEntries(TAG_INDEXES.map((index) => [index.indexName, index])),
  // Placeholder in the `purge` branch, for the purge function's grant; the lead's list store defines it.
  byPosition: {
    indexName: 'byPosition',
    partitionKey: TABLE_KEYS.partitionKey,
    sortKey: 'positionKey',
    projection: 'KEYS_ONLY',
  },
} satisfies Record<string, IndexDefinition>);

/**
 * Items that expire (idempotency records, tombstones) carry their expiry here as epoch seconds. The table's TTL is set
 * on this attribute in the cloud; readers also check it in code, since TTL deletes lazily and dynalite
 * has none.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

export const taskPartitionKey = (ownerId: string): string => `T#${ownerId}`;
/** Idempotency records: `pk` = `I#<ownerId>`, `sk` = the client's Idempotency-Key. */
export const idempotencyPartitionKey = (ownerId: string): string => `I#${ownerId}`;
export const statusPartitionKey = (ownerId: string, status: string): string => `T#${ownerId}#${status}`;
/** The feed partition of a task (its status) or of a tombstone. */
export const feedPartitionKey = (ownerId: string, status: string | 'deleted'): string =>
  status === 'deleted' ? `T#${ownerId}#~deleted` : statusPartitionKey(ownerId, status);
export const tagPartitionKey = (ownerId: string, tag: string): string => `T#${ownerId}#${tag}`;
