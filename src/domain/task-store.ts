import type { ChangePage, ChangesQuery } from './change-feed.js';
import type { ListQuery } from './list-query.js';
import type { Task, TaskChange } from './task.js';
import type { ListRef } from './task-list.js';
import type { Placed } from './task-order.js';

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

/** Where a move puts a task: its position, and its parent (absent: top level) with the parent's place. */
export interface Placement {
  readonly position: string;
  readonly parent?: Placed;
}

/** Siblings around a place in the outline: a list's top-level tasks, or one task's subtasks. */
export interface SiblingsQuery {
  /** Whose subtasks; absent: the top-level tasks. */
  readonly parent?: Placed;
  /** Start just after (`forward`) or just before (backward) this sibling; absent: at the first or last. */
  readonly from?: Placed;
  readonly direction: 'forward' | 'backward';
  readonly limit: number;
}

/**
 * The port the service talks to. Every method is scoped to one list, which the service has checked the
 * caller may reach (`list-service.ts`): there is no way to name a task of another list. Writes are
 * single-item and conditional.
 */
export interface TaskStore {
  /**
   * Stores a new task; never overwrites: an existing id is a `TaskExistsError`. A subtask's `parent` is its
   * parent's place, which its outline key starts with.
   */
  create(list: ListRef, task: Task, parent?: Placed): Promise<Task>;
  /** Writes the task whatever is there: a move into this list from another (a retry finds it there). */
  put(list: ListRef, task: Task, parent?: Placed): Promise<Task>;
  get(list: ListRef, taskId: string): Promise<Task | undefined>;
  /**
   * Applies the change in one conditional write. Throws `TaskNotFoundError` when missing and
   * `PreconditionFailedError` (with the current version) when the condition does not hold.
   */
  update(list: ListRef, taskId: string, change: TaskChange, condition?: WriteCondition): Promise<Task>;
  /** Moves a task within its list, as `update` does (a new `updatedAt`, the version counted). */
  place(
    list: ListRef,
    taskId: string,
    placement: Placement,
    at: Date,
    condition?: WriteCondition,
  ): Promise<Task>;
  /** Siblings in outline order from a place, nearest first, O(limit). */
  siblings(list: ListRef, query: SiblingsQuery): Promise<Placed[]>;
  /**
   * One conditional write that leaves a tombstone dated `at` (now by default) for the change feed; throws
   * as `update` does. A tombstone is a 404 to every other method.
   */
  delete(list: ListRef, taskId: string, condition?: WriteCondition, at?: Date): Promise<void>;
  /**
   * One page in the query's order (creation order, oldest first, by default), O(limit) whatever the list
   * holds. Throws `ValidationError` for a combination `unservableReason` refuses.
   */
  list(list: ListRef, query: ListQuery): Promise<TaskPage>;
  /**
   * One page of the change feed: the list's tasks and tombstones with `since` ≤ `updatedAt` < `until`,
   * oldest change first, O(limit). A deleted task stays a tombstone (never in `get` or `list`) until its
   * retention ends.
   */
  changes(list: ListRef, query: ChangesQuery): Promise<ChangePage>;
}
