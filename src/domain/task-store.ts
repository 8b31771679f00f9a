import type { ChangePage, ChangesQuery } from './change-feed.js';
import type { ListQuery } from './list-query.js';
import type { Task, TaskChange } from './task.js';

export interface TaskPage {
  readonly items: readonly Task[];
  /** Present while more items remain. */
  readonly nextCursor?: string;
}

/** A write's precondition, checked atomically with the write (from `If-Match` and `If-None-Match`). */
export interface WriteCondition {
  /** Apply only while the stored version is one of these; empty never holds. */
  readonly versionIn?: readonly number[];
  /** Apply only while the stored version is none of these. */
  readonly versionNotIn?: readonly number[];
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
   * `PreconditionFailedError` (with the current version) when the condition does not hold.
   */
  update(ownerId: string, taskId: string, change: TaskChange, condition?: WriteCondition): Promise<Task>;
  /**
   * One conditional write that leaves a tombstone dated `at` (now by default) for the change feed; throws
   * as `update` does. A tombstone is a 404 to every other method.
   */
  delete(ownerId: string, taskId: string, condition?: WriteCondition, at?: Date): Promise<void>;
  /**
   * One page in the query's order (creation order, oldest first, by default), O(limit) whatever the owner
   * holds. Throws `ValidationError` for a combination `unservableReason` refuses.
   */
  list(ownerId: string, query: ListQuery): Promise<TaskPage>;
  /**
   * One page of the change feed: the owner's tasks and tombstones with `since` ≤ `updatedAt` < `until`,
   * oldest change first, O(limit). A deleted task stays a tombstone (never in `get` or `list`) until its
   * retention ends.
   */
  changes(ownerId: string, query: ChangesQuery): Promise<ChangePage>;
}
