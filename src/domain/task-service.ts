import { assertRetained, type ChangePage, horizonOf } from './change-feed.js';
import { TaskNotFoundError } from './errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { type CreateResult, createIdempotently } from './idempotent-create.js';
import type { ListQuery } from './list-query.js';
import { type NewTaskInput, newTask, planTaskChange, type Task, type TaskPatch } from './task.js';
import type { TaskPage, TaskStore, WriteCondition } from './task-store.js';

/** What the business counts, reported by the use case where it happens: a task made, a task done. */
export type TaskOutcome = 'created' | 'completed';

export interface ServiceDeps {
  readonly store: TaskStore;
  /** Where `Idempotency-Key`s of creates are remembered. */
  readonly idempotency: IdempotencyStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The change feed's settle time (`FEED_LIMITS.settleMs` unless a test shortens it). */
  readonly feedSettleMs?: number;
  /** Told of each outcome once it is stored (the task function counts them as metrics). */
  readonly onOutcome?: (outcome: TaskOutcome) => void;
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
 * True when this write completed the task: `completedAt` is set only when absent, to the write's
 * `updatedAt` (`planTaskChange`), so it equals `updatedAt` only on the write that first marked it DONE.
 */
const completedBy = (task: Task): boolean => task.status === 'DONE' && task.completedAt === task.updatedAt;

/**
 * The use cases. Each is one store call (an idempotent create a few single-item ones); the owner always
 * comes from the authorizer, never the request. A `WriteCondition` carries `If-Match` down to the store.
 */
export function makeTaskService(deps: ServiceDeps) {
  const { store, now, newId, onOutcome = () => undefined } = deps;
  return {
    async createTask(
      ownerId: string,
      input: NewTaskInput,
      options: CreateOptions = {},
    ): Promise<CreateResult> {
      const result =
        options.idempotencyKey === undefined
          ? { task: await store.create(ownerId, newTask(input, newId(), now())), replayed: false }
          : await createIdempotently(deps, ownerId, input, options.idempotencyKey);
      if (!result.replayed) onOutcome('created');
      return result;
    },

    async getTask(ownerId: string, taskId: string): Promise<Task> {
      const task = await store.get(ownerId, checkTaskId(taskId));
      if (!task) throw new TaskNotFoundError();
      return task;
    },

    async updateTask(ownerId: string, taskId: string, patch: TaskPatch, condition?: WriteCondition) {
      const task = await store.update(ownerId, checkTaskId(taskId), planTaskChange(patch, now()), condition);
      if (completedBy(task)) onOutcome('completed');
      return task;
    },

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
