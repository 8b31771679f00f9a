import type { ListQuery } from '../domain/list-query.js';
import type { Task, TaskChange } from '../domain/task.js';

export { LIST_LIMITS, type ListQuery } from '../domain/list-query.js';

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
  /**
   * One page in the query's order (creation order, oldest first, by default), O(limit) whatever the owner
   * holds. Throws `ValidationError` for a combination `unservableReason` refuses.
   */
  list(ownerId: string, query: ListQuery): Promise<TaskPage>;
}
