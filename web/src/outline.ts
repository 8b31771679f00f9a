/**
 * Moves in the manual order as pure functions (unit-tested in outline.test.ts): which `previousId` and
 * `parentId` the move endpoint needs for "Move up", "Move down" and a drop. A task moves among its
 * siblings only: top-level tasks among top-level tasks, a subtask within its parent.
 */
import type { MoveTarget, Versioned } from './task-api.js';

export type Direction = 'up' | 'down';
/** Where a dragged task lands: just before or just after the task it is dropped on. */
export type Side = 'before' | 'after';

/** The task's siblings as the list shows them (the task itself included), and their parent. */
function siblingsOf(items: readonly Versioned[], taskId: string) {
  const moved = items.find(({ task }) => task.taskId === taskId)?.task;
  if (!moved) return { siblings: [], parentId: null };
  const siblings = items
    .filter(({ task }) => task.parentId === moved.parentId)
    .map(({ task }) => task.taskId);
  return { siblings, parentId: moved.parentId ?? null };
}

/**
 * The move one step up or down among the task's siblings, or undefined at either end of those shown (a
 * sibling beyond the pages loaded is not passed: Load more brings it).
 */
export function stepTargetOf(
  items: readonly Versioned[],
  taskId: string,
  direction: Direction,
): MoveTarget | undefined {
  const { siblings, parentId } = siblingsOf(items, taskId);
  const at = siblings.indexOf(taskId);
  if (at < 0) return undefined;
  if (direction === 'up') return at === 0 ? undefined : { previousId: siblings[at - 2] ?? null, parentId };
  const next = siblings[at + 1];
  return next === undefined ? undefined : { previousId: next, parentId };
}

/**
 * The move a drop on `targetId` asks for, or undefined when the two are not siblings or nothing would
 * change.
 */
export function dropTargetOf(
  items: readonly Versioned[],
  taskId: string,
  targetId: string,
  side: Side,
): MoveTarget | undefined {
  const { siblings, parentId } = siblingsOf(items, taskId);
  if (taskId === targetId || !siblings.includes(targetId)) return undefined;
  const others = siblings.filter((id) => id !== taskId);
  const at = others.indexOf(targetId);
  const previousId = side === 'after' ? targetId : (others[at - 1] ?? null);
  const now = siblings[siblings.indexOf(taskId) - 1] ?? null;
  return previousId === now ? undefined : { previousId, parentId };
}
