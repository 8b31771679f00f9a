import { assertRetained, type ChangePage, horizonOf } from './change-feed.js';
import { TaskNotFoundError } from './errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { type CreateResult, createIdempotently } from './idempotent-create.js';
import type { ListQuery } from './list-query.js';
import { type NewTaskInput, newTask, planTaskChange, type Task, type TaskPatch } from './task.js';
import type { TaskPage, TaskStore, WriteCondition } from './task-store.js';

export interface ServiceDeps {
  readonly store: TaskStore;
  /** Where `Idempotency-Key`s of creates are remembered. */
  readonly records: IdempotencyStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The change feed's settle time (`FEED_LIMITS.settleMs` unless a test shortens it). */
  readonly feedSettleMs?: number;
}

export interface CreateOptions {
  /** The client's `Idempotency-Key`: a retry with it returns the first result instead of a new task. */
  readonly idempotencyKey?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are server-made UUIDs, so anything else cannot name a task: it is a 404 without a store call. */
function checkTaskId(taskId: string): string {
  if (!UUID.test(taskId)) throw new TaskNotFoundError();
  return taskId.toLowerCase();
}

/**
 * The use cases. Each is one store call (an idempotent create a few single-item ones); the owner always
 * comes from the authorizer, never the request. A `WriteCondition` carries `If-Match` down to the store.
 */
export function makeTaskService(deps: ServiceDeps) {
  const { store, now, newId } = deps;
  return {
    async createTask(ownerId: string, input: NewTaskInput, options: CreateOptions = {}) {
      if (options.idempotencyKey !== undefined)
        return createIdempotently(deps, ownerId, input, options.idempotencyKey);
      const task = await store.create(ownerId, newTask(input, newId(), now()));
      return { task, replayed: false } satisfies CreateResult;
    },

    async getTask(ownerId: string, taskId: string): Promise<Task> {
      const task = await store.get(ownerId, checkTaskId(taskId));
      if (!task) throw new TaskNotFoundError();
      return task;
    },

    updateTask: async (ownerId: string, taskId: string, patch: TaskPatch, condition?: WriteCondition) =>
      store.update(ownerId, checkTaskId(taskId), planTaskChange(patch, now()), condition),

    deleteTask: async (ownerId: string, taskId: string, condition?: WriteCondition): Promise<void> =>
      store.delete(ownerId, checkTaskId(taskId), condition, now()),

    /** A listing, or with `updatedSince` a page of the change feed (tasks and tombstones). */
    async listTasks(ownerId: string, query: ListQuery): Promise<TaskPage | ChangePage> {
      const { updatedSince: since, limit, cursor } = query;
      if (since === undefined) return store.list(ownerId, query);
      const at = now();
      assertRetained(since, at);
      const until = horizonOf(at, deps.feedSettleMs);
      return store.changes(ownerId, { since, until, limit, ...(cursor !== undefined && { cursor }) });
    },
  };
}

export type TaskService = ReturnType<typeof makeTaskService>;
