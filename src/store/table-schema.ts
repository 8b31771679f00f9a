/**
 * The table's key design, shared by the DynamoDB adapter, the local table bootstrap and the CDK stack so
 * the three cannot drift apart. docs/contributing.md ("Storage") and docs/operate.md ("What it costs") have
 * the measured trade-offs behind it.
 *
 * - Tasks are partitioned by list, never by principal: `pk` = `L#<listId>`, or `T#<ownerId>` for a
 *   principal's default list (the partition every task had before lists, so that data needs no move);
 *   `sk` = taskId (UUIDv7, so the sort key orders by creation). A deleted task stays as a small tombstone
 *   item (`deleted`, `updatedAt`, `expiresAt`) for the change feed.
 * - The list's own items share its partition, under sort keys starting with `#` (below every taskId): `#list`
 *   (title, owner, version) and `#member#<principalId>` (who may reach the list, with `memberKey` =
 *   `P#<principalId>` for `byMember`). The default list has only `#list`, written when first listed.
 * - `statusKey` = `<pk>#<status>`: every listing reads status partitions, one when the query names a
 *   status, all three merged when it does not. Tombstones have none, so no listing sees them.
 * - `feedKey` = `<pk>#<status>`, or `<pk>#~deleted` on a tombstone: the change feed merges all four
 *   partitions in `updatedKey` order.
 * - `dueKey` = `<due instant>#<taskId>`, on dated tasks only (`byStatusDue` is sparse; `sort=dueDate` reads
 *   the undated tail from `byStatus`), and `updatedKey` = `<updatedAt>#<taskId>`: the taskId suffix keeps
 *   the order total and stable.
 * - `positionKey` = the outline key (`domain/task-order.ts`), indexed by the list's `pk` in `byPosition`,
 *   and by `parentKey` = `<pk>#<parentId>` (subtasks only) in `byParent`.
 * - `tag<i>Key` = `<pk>#<tag>` for the i-th tag: a tag lives in one slot per task, so a tag filter is
 *   one Query per slot, merged.
 *
 * `byStatus` projects whole items, so the default listing and the status filter read one round trip. The
 * other indexes project only the keys: an update that moves none of their keys costs them nothing, and a
 * page is read back from the table with one BatchGetItem.
 */
import { TASK_LIMITS } from '../domain/task.js';
import { isDefaultList, type ListRef } from '../domain/task-list.js';

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
  position: 'positionKey',
  parent: 'parentKey',
  member: 'memberKey',
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
  byPosition: {
    indexName: 'byPosition',
    // The list's own partition: the manual order spans statuses, so a status change costs this index nothing.
    partitionKey: TABLE_KEYS.partitionKey,
    sortKey: KEY_ATTRIBUTES.position,
    projection: 'KEYS_ONLY',
  },
  byParent: {
    indexName: 'byParent',
    partitionKey: KEY_ATTRIBUTES.parent,
    sortKey: KEY_ATTRIBUTES.position,
    projection: 'KEYS_ONLY',
  },
  byMember: {
    indexName: 'byMember',
    partitionKey: KEY_ATTRIBUTES.member,
    // List ids are UUIDv7: a principal's lists page in creation order.
    sortKey: TABLE_KEYS.partitionKey,
    projection: 'ALL',
  },
  ...Object.fromEntries(TAG_INDEXES.map((index) => [index.indexName, index])),
} satisfies Record<string, IndexDefinition>);

/**
 * Items that expire (idempotency records, tombstones) carry their expiry here as epoch seconds. The table's TTL is set
 * on this attribute in the cloud; readers also check it in code, since TTL deletes lazily and dynalite
 * has none.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The partition of a principal's default list (every task's, before lists existed). */
export const taskPartitionKey = (ownerId: string): string => `T#${ownerId}`;
export const NAMED_LIST_PREFIX = 'L#';
/** A list's partition: its tasks and its own items. */
export const listPartitionKey = (list: ListRef): string =>
  isDefaultList(list) ? taskPartitionKey(list.ownerId ?? '') : `${NAMED_LIST_PREFIX}${list.listId}`;
/** The list id a partition key stands for (the default list's is `@default`, whoever owns it). */
export const listIdOfPartition = (partition: string, defaultId: string): string =>
  partition.startsWith(NAMED_LIST_PREFIX) ? partition.slice(NAMED_LIST_PREFIX.length) : defaultId;
/** The sort keys of a list's own items; a task's is its id, so these sort first and never collide. */
export const LIST_ITEM_KEYS = Object.freeze({
  meta: '#list',
  member: (principalId: string) => `#member#${principalId}`,
});
export const memberPartitionKey = (principalId: string): string => `P#${principalId}`;
/** A principal's counts of lists owned and memberships (the caps of `domain/limits.ts`): one item, sk `#counts`. */
export const countsKey = (principalId: string) => ({ pk: `C#${principalId}`, sk: '#counts' });
export const parentPartitionKey = (partition: string, parentId: string): string => `${partition}#${parentId}`;
/** The count of a list's tasks (`#tasks`) or of one task's subtasks (`#subtasks#<id>`): own partition, never in a list's. */
export const amountKey = (list: ListRef, parentId?: string) => ({
  pk: `N#${listPartitionKey(list)}`,
  sk: parentId === undefined ? '#tasks' : `#subtasks#${parentId}`,
});
/** Idempotency records: `pk` = `I#<ownerId>`, `sk` = the client's Idempotency-Key. */
export const idempotencyPartitionKey = (ownerId: string): string => `I#${ownerId}`;
export const statusPartitionKey = (partition: string, status: string): string => `${partition}#${status}`;
/** The feed partition of a task (its status) or of a tombstone. */
export const feedPartitionKey = (partition: string, status: string | 'deleted'): string =>
  status === 'deleted' ? `${partition}#~deleted` : statusPartitionKey(partition, status);
export const tagPartitionKey = (partition: string, tag: string): string => `${partition}#${tag}`;
