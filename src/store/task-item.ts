import { type Tombstone, tombstoneExpiry } from '../domain/change-feed.js';
import { type Task, type TaskChange, TaskSchema } from '../domain/task.js';
import { DEFAULT_LIST_ID } from '../domain/task-list.js';
import { outlineKeyOf, type Placed, positionAt } from '../domain/task-order.js';
import type { Item } from './document-ops.js';
import { dueKeyOf, updatedKeyOf } from './list-order.js';
import {
  feedPartitionKey,
  INDEXES,
  KEY_ATTRIBUTES,
  listIdOfPartition,
  MAX_TAG_SLOTS,
  parentPartitionKey,
  statusPartitionKey,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
  tagPartitionKey,
} from './table-schema.js';

/** The attribute that marks a tombstone: what a deleted task leaves for the change feed. */
export const DELETED_ATTRIBUTE = 'deleted';

/** How a task is laid out as a DynamoDB item: its fields plus the key attributes every index reads. */
const KEY_NAMES = new Set<string>([
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...Object.values(INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
]);

function tagKeys(partition: string, tags: readonly string[]): { set: Item; remove: string[] } {
  const set: Item = {};
  const remove: string[] = [];
  for (let slot = 0; slot < MAX_TAG_SLOTS; slot++) {
    const tag = tags[slot];
    if (tag === undefined) remove.push(KEY_ATTRIBUTES.tag(slot));
    else set[KEY_ATTRIBUTES.tag(slot)] = tagPartitionKey(partition, tag);
  }
  return { set, remove };
}

/** Where a task sits in the outline: its outline key, and for a subtask the `byParent` partition. */
export function placementKeys(partition: string, task: Placed, parent: Placed | undefined): Item {
  return {
    [KEY_ATTRIBUTES.position]: outlineKeyOf(task, parent),
    ...(parent && { [KEY_ATTRIBUTES.parent]: parentPartitionKey(partition, parent.taskId) }),
  };
}

/**
 * A task as an item of its list's partition. `listId` is not stored: the partition says it, so a task
 * moved into another list cannot carry a stale one.
 */
export function toItem(partition: string, task: Task, parent?: Placed): Item {
  const { taskId, listId: _listId, ...rest } = task;
  return {
    [TABLE_KEYS.partitionKey]: partition,
    [TABLE_KEYS.sortKey]: taskId,
    [KEY_ATTRIBUTES.status]: statusPartitionKey(partition, task.status),
    [KEY_ATTRIBUTES.feed]: feedPartitionKey(partition, task.status),
    // Only a dated task is in `byStatusDue` (a sparse index): an undated one costs it no write, ever.
    ...(task.dueDate !== undefined && { [KEY_ATTRIBUTES.due]: dueKeyOf(taskId, task.dueDate) }),
    [KEY_ATTRIBUTES.updated]: updatedKeyOf(taskId, task.updatedAt),
    ...placementKeys(partition, task, parent),
    ...tagKeys(partition, task.tags).set,
    ...rest,
  };
}

/**
 * Items written before priority and tags existed read with their defaults; those written before lists
 * (no `position`) are placed by their creation, as `positionAt` places a new task.
 */
export function fromItem(item: Item): Task {
  const partition = String(item[TABLE_KEYS.partitionKey]);
  const task: Item = {
    taskId: item[TABLE_KEYS.sortKey],
    listId: listIdOfPartition(partition, DEFAULT_LIST_ID),
    priority: 'MEDIUM',
    tags: [],
  };
  for (const [name, value] of Object.entries(item)) if (!KEY_NAMES.has(name)) task[name] = value;
  task.position ??= positionAt(new Date(String(item.createdAt)));
  return task as unknown as Task;
}

/** The index key attributes a change moves, so every index keeps seeing the task where it now belongs. */
export function indexKeyChanges(partition: string, taskId: string, change: TaskChange) {
  const set: Item = {};
  let remove: string[] = [];
  const { status, updatedAt, tags } = change.set;
  if (status !== undefined) {
    set[KEY_ATTRIBUTES.status] = statusPartitionKey(partition, status);
    set[KEY_ATTRIBUTES.feed] = feedPartitionKey(partition, status);
  }
  if (updatedAt !== undefined) set[KEY_ATTRIBUTES.updated] = updatedKeyOf(taskId, updatedAt);
  if (change.set.dueDate !== undefined) set[KEY_ATTRIBUTES.due] = dueKeyOf(taskId, change.set.dueDate);
  if (change.remove.includes('dueDate')) remove.push(KEY_ATTRIBUTES.due);
  if (tags !== undefined) {
    const slots = tagKeys(partition, tags);
    Object.assign(set, slots.set);
    remove = [...remove, ...slots.remove];
  }
  return { set, remove };
}

export const isTombstoneItem = (item: Item): boolean => item[DELETED_ATTRIBUTE] === true;

export const tombstoneOf = (item: Item): Tombstone => ({
  taskId: String(item[TABLE_KEYS.sortKey]),
  deleted: true,
  updatedAt: String(item.updatedAt),
});

/**
 * What a delete writes over the task, in the same single conditional write: the tombstone's own
 * attributes, and the removal of every task field and every listing key, so the item leaves every
 * listing, keeps only its place in the feed, and shrinks to a few dozen bytes until the TTL takes it.
 */
export function tombstoneChange(partition: string, taskId: string, deletedAt: string) {
  const set: Item = {
    [DELETED_ATTRIBUTE]: true,
    updatedAt: deletedAt,
    [KEY_ATTRIBUTES.feed]: feedPartitionKey(partition, 'deleted'),
    [KEY_ATTRIBUTES.updated]: updatedKeyOf(taskId, deletedAt),
    [TTL_ATTRIBUTE]: tombstoneExpiry(deletedAt),
  };
  const taskFields = Object.keys(TaskSchema.shape).filter(
    (name) => name !== 'taskId' && name !== 'listId' && name !== 'updatedAt',
  );
  const listingKeys = [...KEY_NAMES].filter(
    (name) => name !== TABLE_KEYS.partitionKey && name !== TABLE_KEYS.sortKey && !(name in set),
  );
  return { set, remove: [...taskFields, ...listingKeys] };
}
