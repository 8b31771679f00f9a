import { useRef, useState } from 'preact/hooks';
import { type Direction, dropTargetOf, type Side, stepTargetOf } from './outline.js';
import type { Api, MoveTarget, Task, Versioned } from './task-api.js';

interface MovesOptions {
  readonly api: Api;
  /** The tasks shown, in the order shown. */
  readonly items: readonly Versioned[];
  /** Whether the manual order is shown, the only order a task can be moved in. */
  readonly enabled: boolean;
  readonly onMoved: (task: Task) => void;
  readonly onFailed: (error: unknown) => void;
}

/**
 * The board's moves: a card's ↑ and ↓ (`orderOf`) and drag and drop on the list (`listProps`), each one
 * call to the move endpoint, one at a time. The focus stays on the button that asked for the move.
 */
export function useMoves({ api, items, enabled, onMoved, onFailed }: MovesOptions) {
  const [moving, setMoving] = useState(false);
  const busy = useRef(false); // a second press before the re-render must not send a move from a stale order
  const move = async (taskId: string, target: MoveTarget, focusId?: string) => {
    if (busy.current) return;
    busy.current = true;
    setMoving(true);
    try {
      onMoved((await api.move(taskId, target)).task);
    } catch (error) {
      onFailed(error);
    } finally {
      busy.current = false;
      setMoving(false);
      if (focusId) setTimeout(() => document.getElementById(focusId)?.focus());
    }
  };
  const step = (taskId: string, direction: Direction) => {
    const target = stepTargetOf(items, taskId, direction);
    if (target) void move(taskId, target, `move-${direction}-${taskId}`);
  };
  const drag = useDragToMove({
    enabled: enabled && !moving,
    targetOf: (taskId, overId, side) => dropTargetOf(items, taskId, overId, side),
    onDrop: (taskId, target) => void move(taskId, target),
  });
  return {
    listProps: drag.listProps,
    orderOf: (taskId: string) => ({
      can: {
        up: stepTargetOf(items, taskId, 'up') !== undefined,
        down: stepTargetOf(items, taskId, 'down') !== undefined,
      },
      busy: moving,
      onMove: (direction: Direction) => step(taskId, direction),
    }),
  };
}

interface DragOptions {
  readonly enabled: boolean;
  /** The move a drop there asks for, or undefined where the task cannot land (or would not move). */
  readonly targetOf: (taskId: string, overId: string, side: Side) => MoveTarget | undefined;
  readonly onDrop: (taskId: string, target: MoveTarget) => void;
}

const cardOf = (event: Event): HTMLElement | null =>
  (event.target as Element | null)?.closest<HTMLElement>('li[data-task-id]') ?? null;

/** The upper half of a card drops before it, the lower half after it. */
function sideOf(event: DragEvent, card: HTMLElement): Side {
  const box = card.getBoundingClientRect();
  return event.clientY < box.top + box.height / 2 ? 'before' : 'after';
}

/**
 * Drag and drop on the list of cards (HTML drag and drop, delegated to the list): a card dragged over a
 * sibling shows a line where it would land, and a drop asks for that move. The keyboard's way is the
 * cards' Move up and Move down.
 */
function useDragToMove({ enabled, targetOf, onDrop }: DragOptions) {
  const dragged = useRef<string>(undefined);
  const marked = useRef<HTMLElement>(undefined);
  const mark = (card?: HTMLElement, side?: Side) => {
    if (marked.current && marked.current !== card) delete marked.current.dataset.drop;
    marked.current = card;
    if (card && side) card.dataset.drop = side;
  };
  const landing = (event: DragEvent) => {
    const card = cardOf(event);
    const overId = card?.dataset.taskId;
    if (!enabled || !card || !overId || !dragged.current) return undefined;
    const side = sideOf(event, card);
    const target = targetOf(dragged.current, overId, side);
    return target && { card, side, target };
  };
  const end = () => {
    dragged.current = undefined;
    mark();
  };

  return {
    listProps: {
      onDragStart: (event: DragEvent) => {
        const taskId = cardOf(event)?.dataset.taskId;
        if (!enabled || !taskId) return;
        dragged.current = taskId;
        event.dataTransfer?.setData('text/plain', taskId);
        if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
      },
      onDragOver: (event: DragEvent) => {
        const land = landing(event);
        mark(land?.card, land?.side);
        if (!land) return;
        event.preventDefault(); // allows the drop here
        if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
      },
      onDrop: (event: DragEvent) => {
        const land = landing(event);
        const taskId = dragged.current;
        end();
        if (!land || !taskId) return;
        event.preventDefault();
        onDrop(taskId, land.target);
      },
      onDragEnd: end,
    },
  };
}
