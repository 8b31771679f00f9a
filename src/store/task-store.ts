import type { Task, TaskChange, TaskStatus } from '../domain/task.js';

/** Listing limits a client can rely on. */
export const LIST_LIMITS = Object.freeze({ defaultLimit: 20, maxLimit: 100 });

export interface ListQuery {
  readonly status?: TaskStatus;
  readonly limit: number;
  /** Opaque cursor from a previous page; the store validates it against owner and query. */
  readonly cursor?: string;
}

export interface TaskPage {
  readonly items: readonly Task[];
  /** Present while more items remain. */
  readonly nextCursor?: string;
}

/**
 * The port the service talks to. Every method is scoped to one owner: there is no way to name another
 * principal's task. Writes are single-item and conditional.
 */
export interface TaskStore {
  /** Stores a new task; never overwrites. */
  create(ownerId: string, task: Task): Promise<Task>;
  get(ownerId: string, taskId: string): Promise<Task | undefined>;
  /** Applies the change in one conditional write. Throws `TaskNotFoundError` when missing. */
  update(ownerId: string, taskId: string, change: TaskChange): Promise<Task>;
  /** Throws `TaskNotFoundError` when missing. */
  delete(ownerId: string, taskId: string): Promise<void>;
  /** One page in creation order (oldest first), O(limit) whatever the owner holds. */
  list(ownerId: string, query: ListQuery): Promise<TaskPage>;
}
