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
import type { TaskPage, TaskStore, WriteCondition } from '../domain/task-store.js';
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

/**
 * An in-memory TaskStore for unit tests and handler benchmarks. It passes the same contract tests as the
 * DynamoDB adapter (test/contract), which keeps it honest.
 */
export class MemoryTaskStore implements TaskStore {
  private readonly owners = new Map<string, Map<string, Task>>();
  private readonly tombstones = new Map<string, Map<string, Tombstone>>();

  /** Its data lives as long as the process, so a key made for the instance serves its cursors. */
  constructor(private readonly cursors: CursorCodec = makeCursorCodec(randomBytes(32))) {}

  async create(ownerId: string, task: Task): Promise<Task> {
    const tasks = this.tasksOf(ownerId);
    if (tasks.has(task.taskId)) throw new TaskExistsError();
    tasks.set(task.taskId, structuredClone(task));
    return structuredClone(task);
  }

  async get(ownerId: string, taskId: string): Promise<Task | undefined> {
    const task = this.tasksOf(ownerId).get(taskId);
    return task && structuredClone(task);
  }

  async update(ownerId: string, taskId: string, change: TaskChange, condition?: WriteCondition) {
    const tasks = this.tasksOf(ownerId);
    const current = this.checked(tasks.get(taskId), condition);
    const next = applyTaskChange(current, change);
    tasks.set(taskId, next);
    return structuredClone(next);
  }

  async delete(ownerId: string, taskId: string, condition?: WriteCondition, at = new Date()): Promise<void> {
    const tasks = this.tasksOf(ownerId);
    this.checked(tasks.get(taskId), condition);
    tasks.delete(taskId);
    this.tombstonesOf(ownerId).set(taskId, { taskId, deleted: true, updatedAt: at.toISOString() });
  }

  async changes(ownerId: string, query: ChangesQuery): Promise<ChangePage> {
    const binding = changesBinding(ownerId, query.since);
    const position = query.cursor
      ? await this.cursors.decode(binding, query.cursor, ['updatedKey', 'until'])
      : undefined;
    const until = position?.until ?? query.until;
    const entries: TaskChangeEntry[] = [
      ...this.tasksOf(ownerId).values(),
      ...this.tombstonesOf(ownerId).values(),
    ];
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

  async list(ownerId: string, query: ListQuery): Promise<TaskPage> {
    assertServable(query);
    const sort = sortOf(query);
    const sign = orderOf(query) === 'asc' ? 1 : -1;
    const binding = cursorBinding(ownerId, query);
    const after = query.cursor ? (await this.cursors.decode(binding, query.cursor, ['sk'])).sk : undefined;
    const range = dueRangeOf(query);
    const keyed = [...this.tasksOf(ownerId).values()].map((task) => ({ task, key: sortKeyOf(task, sort) }));
    const matching = keyed
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

  private tombstonesOf(ownerId: string): Map<string, Tombstone> {
    return bucketOf(this.tombstones, ownerId);
  }

  private tasksOf(ownerId: string): Map<string, Task> {
    return bucketOf(this.owners, ownerId);
  }
}

/** The owner's map in `maps`, made on first use. */
function bucketOf<T>(maps: Map<string, Map<string, T>>, ownerId: string): Map<string, T> {
  let bucket = maps.get(ownerId);
  if (!bucket) {
    bucket = new Map();
    maps.set(ownerId, bucket);
  }
  return bucket;
}
