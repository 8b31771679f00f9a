import type { ListQuery } from './list-query.js';
import type { Task, TaskChange } from './task.js';

export interface TaskPage {
  readonly items: readonly Task[];
  /** Present while more items remain. */
  readonly nextCursor?: string;
}

/** A write's precondition: apply only while the stored version is one of these (from `If-Match`). */
export interface WriteCondition {
  readonly versionIn?: readonly number[];
}

/**
 * The port the service talks to. Every method is scoped to one owner: there is no way to name another
 * principal's task. Writes are single-item and conditional.
 */
export interface TaskStore {
  /** Stores a new task; never overwrites: an existing id is a `TaskExistsError`. */
  create(ownerId: string, task: Task): Promise<Task>;
  get(ownerId: string, taskId: string): Promise<Task | undefined>;
  /**
   * Applies the change in one conditional write. Throws `TaskNotFoundError` when missing and
   * `PreconditionFailedError` (with the current version) when `versionIn` does not hold.
   */
  update(ownerId: string, taskId: string, change: TaskChange, condition?: WriteCondition): Promise<Task>;
  /** One conditional delete; throws as `update` does. */
  delete(ownerId: string, taskId: string, condition?: WriteCondition): Promise<void>;
  /**
   * One page in the query's order (creation order, oldest first, by default), O(limit) whatever the owner
   * holds. Throws `ValidationError` for a combination `unservableReason` refuses.
   */
  list(ownerId: string, query: ListQuery): Promise<TaskPage>;
}
