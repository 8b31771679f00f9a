import type { Task, TaskChange } from '../domain/task.js';
import type { Item } from './document-ops.js';
import { dueKeyOf, updatedKeyOf } from './list-order.js';
import {
  INDEXES,
  KEY_ATTRIBUTES,
  MAX_TAG_SLOTS,
  statusPartitionKey,
  TABLE_KEYS,
  tagPartitionKey,
  taskPartitionKey,
} from './table-schema.js';

/** How a task is laid out as a DynamoDB item: its fields plus the key attributes every index reads. */
const KEY_NAMES = new Set<string>([
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...Object.values(INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
]);

function tagKeys(ownerId: string, tags: readonly string[]): { set: Item; remove: string[] } {
  const set: Item = {};
  const remove: string[] = [];
  for (let slot = 0; slot < MAX_TAG_SLOTS; slot++) {
    const tag = tags[slot];
    if (tag === undefined) remove.push(KEY_ATTRIBUTES.tag(slot));
    else set[KEY_ATTRIBUTES.tag(slot)] = tagPartitionKey(ownerId, tag);
  }
  return { set, remove };
}

export function toItem(ownerId: string, task: Task): Item {
  const { taskId, ...rest } = task;
  return {
    [TABLE_KEYS.partitionKey]: taskPartitionKey(ownerId),
    [TABLE_KEYS.sortKey]: taskId,
    [KEY_ATTRIBUTES.status]: statusPartitionKey(ownerId, task.status),
    [KEY_ATTRIBUTES.due]: dueKeyOf(taskId, task.dueDate),
    [KEY_ATTRIBUTES.updated]: updatedKeyOf(taskId, task.updatedAt),
    ...tagKeys(ownerId, task.tags).set,
    ...rest,
  };
}

/** Items written before priority and tags existed read with their defaults. */
export function fromItem(item: Item): Task {
  const task: Item = { taskId: item[TABLE_KEYS.sortKey], priority: 'MEDIUM', tags: [] };
  for (const [name, value] of Object.entries(item)) if (!KEY_NAMES.has(name)) task[name] = value;
  return task as unknown as Task;
}

/** The index key attributes a change moves, so every index keeps seeing the task where it now belongs. */
export function indexKeyChanges(ownerId: string, taskId: string, change: TaskChange) {
  const set: Item = {};
  let remove: string[] = [];
  const { status, updatedAt, tags } = change.set;
  if (status !== undefined) set[KEY_ATTRIBUTES.status] = statusPartitionKey(ownerId, status);
  if (updatedAt !== undefined) set[KEY_ATTRIBUTES.updated] = updatedKeyOf(taskId, updatedAt);
  if (change.set.dueDate !== undefined) set[KEY_ATTRIBUTES.due] = dueKeyOf(taskId, change.set.dueDate);
  if (change.remove.includes('dueDate')) set[KEY_ATTRIBUTES.due] = dueKeyOf(taskId, undefined);
  if (tags !== undefined) {
    const slots = tagKeys(ownerId, tags);
    Object.assign(set, slots.set);
    remove = slots.remove;
  }
  return { set, remove };
}
