import { randomBytes } from 'node:crypto';
import {
  type ChangePage,
  type ChangesQuery,
  type TaskChangeEntry,
  type Tombstone,
  tombstoneExpiry,
} from '../domain/change-feed.js';
import { PreconditionFailedError, TaskExistsError, TaskNotFoundError } from '../domain/errors.js';
import type { ListQuery } from '../domain/list-query.js';
import { applyTaskChange, type Task, type TaskChange } from '../domain/task.js';
import type { ListRef } from '../domain/task-list.js';
import { outlineKeyOf, type Placed } from '../domain/task-order.js';
import type { Placement, SiblingsQuery, TaskPage, TaskStore, WriteCondition } from '../domain/task-store.js';
import { type CursorCodec, makeCursorCodec } from './cursor.js';
import {
  assertServable,
  changesBinding,
  cursorBinding,
  dueRangeOf,
  orderOf,
  sortKeyOf,
  sortOf,
  updatedKeyOf,
} from './list-order.js';
import { listPartitionKey } from './table-schema.js';

/**
 * An in-memory TaskStore for unit tests and handler benchmarks. It passes the same contract tests as the
 * DynamoDB adapter (test/contract), which keeps it honest.
 */
export class MemoryTaskStore implements TaskStore {
  private readonly lists = new Map<string, Map<string, Task>>();
  private readonly tombstones = new Map<string, Map<string, Tombstone>>();

  /** Its data lives as long as the process, so a key made for the instance serves its cursors. */
  constructor(private readonly cursors: CursorCodec = makeCursorCodec(randomBytes(32))) {}

  async create(list: ListRef, task: Task): Promise<Task> {
    const tasks = this.tasksOf(list);
    if (tasks.has(task.taskId)) throw new TaskExistsError();
    return this.put(list, task);
  }

  async put(list: ListRef, task: Task): Promise<Task> {
    const stored = { ...structuredClone(task), listId: list.listId };
    this.tasksOf(list).set(task.taskId, stored);
    this.tombstonesOf(list).delete(task.taskId);
    return structuredClone(stored);
  }

  async get(list: ListRef, taskId: string): Promise<Task | undefined> {
    const task = this.tasksOf(list).get(taskId);
    return task && structuredClone(task);
  }

  async update(list: ListRef, taskId: string, change: TaskChange, condition?: WriteCondition) {
    const tasks = this.tasksOf(list);
    const current = this.checked(tasks.get(taskId), condition);
    const next = applyTaskChange(current, change);
    tasks.set(taskId, next);
    return structuredClone(next);
  }

  async place(list: ListRef, taskId: string, placement: Placement, at: Date, condition?: WriteCondition) {
    const tasks = this.tasksOf(list);
    const current = this.checked(tasks.get(taskId), condition);
    const { parentId: _parentId, ...rest } = current;
    const next: Task = {
      ...rest,
      position: placement.position,
      ...(placement.parent && { parentId: placement.parent.taskId }),
      updatedAt: at.toISOString(),
      version: current.version + 1,
    };
    tasks.set(taskId, next);
    return structuredClone(next);
  }

  async siblings(list: ListRef, { parent, from, direction, limit }: SiblingsQuery): Promise<Placed[]> {
    const forward = direction === 'forward';
    const start = from === undefined ? undefined : outlineKeyOf(from, parent);
    return [...this.tasksOf(list).values()]
      .filter((task) => task.parentId === parent?.taskId)
      .map((task) => ({
        placed: { taskId: task.taskId, position: task.position },
        key: outlineKeyOf(task, parent),
      }))
      .filter(({ key }) => start === undefined || (forward ? key > start : key < start))
      .sort((a, b) => (a.key < b.key === forward ? -1 : 1))
      .slice(0, limit)
      .map(({ placed }) => placed);
  }

  async delete(list: ListRef, taskId: string, condition?: WriteCondition, at = new Date()): Promise<void> {
    const tasks = this.tasksOf(list);
    this.checked(tasks.get(taskId), condition);
    tasks.delete(taskId);
    this.tombstonesOf(list).set(taskId, { taskId, deleted: true, updatedAt: at.toISOString() });
  }

  async changes(list: ListRef, query: ChangesQuery): Promise<ChangePage> {
    const binding = changesBinding(listPartitionKey(list), query.since);
    const position = query.cursor
      ? await this.cursors.decode(binding, query.cursor, ['updatedKey', 'until'])
      : undefined;
    const until = position?.until ?? query.until;
    const entries: TaskChangeEntry[] = [...this.tasksOf(list).values(), ...this.tombstonesOf(list).values()];
    const expired = (e: TaskChangeEntry) =>
      'deleted' in e && tombstoneExpiry(e.updatedAt) * 1000 <= Date.parse(until);
    const matching = entries
      .filter((e) => e.updatedAt >= query.since && e.updatedAt < until && !expired(e))
      .map((entry) => ({ entry, key: updatedKeyOf(entry.taskId, entry.updatedAt) }))
      .filter(({ key }) => position?.updatedKey === undefined || key > position.updatedKey)
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const items = matching.slice(0, query.limit).map(({ entry }) => structuredClone(entry));
    const last = matching[query.limit - 1];
    if (matching.length <= query.limit || !last) return { items };
    return { items, nextCursor: await this.cursors.encode(binding, { updatedKey: last.key, until }) };
  }

  async list(list: ListRef, query: ListQuery): Promise<TaskPage> {
    assertServable(query);
    const sort = sortOf(query);
    const sign = orderOf(query) === 'asc' ? 1 : -1;
    const binding = cursorBinding(listPartitionKey(list), query);
    const after = query.cursor ? (await this.cursors.decode(binding, query.cursor, ['sk'])).sk : undefined;
    const range = dueRangeOf(query);
    const tasks = this.tasksOf(list);
    const keyed = [...tasks.values()].map((task) => ({
      task,
      key: sortKeyOf(task, sort, task.parentId === undefined ? undefined : tasks.get(task.parentId)),
    }));
    const matching = keyed
      .filter(({ task }) => query.parentId === undefined || task.parentId === query.parentId)
      .filter(({ task }) => query.status === undefined || task.status === query.status)
      .filter(({ task }) => query.tag === undefined || task.tags.includes(query.tag))
      .filter(({ key }) => range === undefined || (key >= range.lo && key < range.hi))
      .filter(({ key }) => after === undefined || (sign > 0 ? key > after : key < after))
      .sort((a, b) => (a.key < b.key ? -sign : sign));
    const items = matching.slice(0, query.limit).map(({ task }) => structuredClone(task));
    const last = matching[query.limit - 1];
    const more = matching.length > query.limit && last !== undefined;
    return { items, ...(more && { nextCursor: await this.cursors.encode(binding, { sk: last.key }) }) };
  }

  private checked(task: Task | undefined, condition: WriteCondition | undefined): Task {
    if (!task) throw new TaskNotFoundError();
    if (condition?.versionIn && !condition.versionIn.includes(task.version))
      throw new PreconditionFailedError(task.version);
    if (condition?.versionNotIn?.includes(task.version)) throw new PreconditionFailedError(task.version);
    return task;
  }

  private tombstonesOf(list: ListRef): Map<string, Tombstone> {
    return bucketOf(this.tombstones, listPartitionKey(list));
  }

  private tasksOf(list: ListRef): Map<string, Task> {
    return bucketOf(this.lists, listPartitionKey(list));
  }
}

/** The list's map in `maps`, made on first use. */
function bucketOf<T>(maps: Map<string, Map<string, T>>, partition: string): Map<string, T> {
  let bucket = maps.get(partition);
  if (!bucket) {
    bucket = new Map();
    maps.set(partition, bucket);
  }
  return bucket;
}
