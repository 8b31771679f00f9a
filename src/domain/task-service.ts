/**
 * The task use cases, on one list at a time: the caller's right to that list was checked before
 * (`list-service.ts`), so nothing here can reach a list it was not given.
 *
 * Long on purpose (~350 lines): moves (a place among siblings, subtasks that travel, the bounded respacing)
 * belong with the create and delete rules they share; split, the outline's rules would live in two places.
 */

import { type AmountCounter, type Counted, makeCaps } from './amount-counter.js';
import { assertRetained, type ChangePage, horizonOf } from './change-feed.js';
import { InvalidPlacementError, PreconditionFailedError, TaskNotFoundError } from './errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { type CreateResult, createIdempotently } from './idempotent-create.js';
import { isServerId } from './ids.js';
import { LIMITS, type Limits } from './limits.js';
import type { ListQuery } from './list-query.js';
import { type NewTaskInput, newTask, planTaskChange, type Task, type TaskPatch } from './task.js';
import { isDefaultList, type ListRef } from './task-list.js';
import { ORDER_LIMITS, type Placed, positionAt, positionBetween, positionsBetween } from './task-order.js';
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
  /** Counts tasks per list and subtasks per task against their caps; absent, nothing is capped (a unit test). */
  readonly counts?: AmountCounter;
  /** The caps (`LIMITS` unless a test makes them small). */
  readonly limits?: Limits;
  /** The counts' sampling coin (`Math.random` unless a test fixes it). */
  readonly random?: () => number;
}

/** The amounts a task in `list` (under `parentId`) counts towards. */
const amountsOf = (list: ListRef, parentId: string | undefined): Counted[] => [
  [{ list }, 'tasksPerList'],
  ...(parentId === undefined ? [] : [[{ list, parentId }, 'subtasksPerTask'] as const]),
];

export interface CreateOptions {
  /** The client's `Idempotency-Key`: a retry with it returns the first result instead of a new task. */
  readonly idempotencyKey?: string;
}

/** `POST …/tasks/{taskId}/move`: after `previousId` (first when null), under `parentId` (top level when null). */
export interface MoveRequest {
  readonly previousId: string | null;
  readonly parentId: string | null;
  /** Another list the caller may write to; absent: the task's own. */
  readonly to?: ListRef;
}

/** Ids are server-made UUIDs, so anything else cannot name a task: it is a 404 without a store call. */
function checkTaskId(taskId: string): string {
  if (!isServerId(taskId)) throw new TaskNotFoundError();
  return taskId.toLowerCase();
}

/**
 * True when this write completed the task: `completedAt` is set only when absent, to the write's
 * `updatedAt` (`planTaskChange`), so it equals `updatedAt` only on the write that first marked it DONE.
 */
const completedBy = (task: Task): boolean => task.status === 'DONE' && task.completedAt === task.updatedAt;

const invalid = (field: string, message: string): InvalidPlacementError =>
  new InvalidPlacementError(field, message);

/** A condition checked before a write that spans several items (a move to another list, a cascade). */
function assertCondition(task: Task, condition: WriteCondition | undefined): void {
  const { versionIn, versionNotIn } = condition ?? {};
  if ((versionIn && !versionIn.includes(task.version)) || versionNotIn?.includes(task.version))
    throw new PreconditionFailedError(task.version);
}

const placedOf = (task: Task): Placed => ({ taskId: task.taskId, position: task.position });

/** Subtasks are read a page at a time: a task has at most `LIMITS.subtasksPerTask` (2,000). */
const SUBTASK_PAGE = 100;

/**
 * The use cases. Each is one store call, except an idempotent create, a subtask's create (its parent is
 * read), a delete with subtasks and a move; the principal always comes from the authorizer, never the
 * request. A `WriteCondition` carries `If-Match` down to the store.
 */
export function makeTaskService(deps: ServiceDeps) {
  const { store, now, newId, onOutcome = () => undefined } = deps;
  const caps =
    deps.counts &&
    makeCaps({ counts: deps.counts, limits: deps.limits ?? LIMITS, random: deps.random ?? Math.random });

  /** The parent a new or moved task goes under: a top-level task of the same list. */
  async function parentIn(list: ListRef, parentId: string, field: string): Promise<Task> {
    const parent = isServerId(parentId) ? await store.get(list, parentId.toLowerCase()) : undefined;
    if (!parent) throw invalid(field, `Field '${field}' must name a task in the same list`);
    if (parent.parentId !== undefined)
      throw invalid(
        field,
        `Field '${field}' must name a top-level task: subtasks have no subtasks of their own`,
      );
    return parent;
  }

  /** Every subtask of a task, in order. */
  async function subtasksOf(list: ListRef, parent: Placed): Promise<Placed[]> {
    const all: Placed[] = [];
    for (let from: Placed | undefined; ; ) {
      const page = await store.siblings(list, {
        parent,
        direction: 'forward',
        limit: SUBTASK_PAGE,
        ...(from && { from }),
      });
      all.push(...page);
      from = page.at(-1);
      if (page.length < SUBTASK_PAGE || !from) return all;
    }
  }

  /**
   * A position between `previous` and the sibling after it (skipping the moved task itself). A key past the
   * length limit is never stored: the siblings before the gap are respaced over a wider and wider window,
   * which ends at the first sibling, where keys are short integers again.
   */
  async function positionFor(list: ListRef, taskId: string, parent: Placed | undefined, previous?: Placed) {
    const next = (
      await store.siblings(list, {
        ...(parent && { parent }),
        ...(previous && { from: previous }),
        direction: 'forward',
        limit: 2,
      })
    ).find((sibling) => sibling.taskId !== taskId);
    const position = positionBetween(previous?.position, next?.position);
    if (position.length <= ORDER_LIMITS.maxPositionLength || previous === undefined)
      return { position, respace: [] as Placed[] };
    for (let width = 8; ; width *= 4) {
      const before = await store.siblings(list, {
        ...(parent && { parent }),
        from: previous,
        direction: 'backward',
        limit: width + 1,
      });
      const others = before.filter((sibling) => sibling.taskId !== taskId);
      const floor = others.length > width ? others[width] : undefined;
      const window = [previous, ...others.slice(0, width)].reverse();
      const keys = positionsBetween(floor?.position, next?.position, window.length + 1);
      if (floor === undefined || keys.every((key) => key.length <= ORDER_LIMITS.maxPositionLength)) {
        const respace = window.map((sibling, i) => ({ taskId: sibling.taskId, position: keys[i] ?? '' }));
        return { position: keys[window.length] ?? position, respace };
      }
    }
  }

  /** Writes a move once it is checked and counted: the respacing, the task, its subtasks. */
  async function placeMoved(
    list: ListRef,
    to: ListRef,
    task: Task,
    subtasks: readonly Placed[],
    parent: Task | undefined,
    previous: Task | undefined,
    condition: WriteCondition | undefined,
  ): Promise<Task> {
    const parentPlace = parent && placedOf(parent);
    const { position, respace } = await positionFor(
      to,
      task.taskId,
      parentPlace,
      previous && placedOf(previous),
    );
    const at = now();
    for (const sibling of respace)
      await store.place(
        to,
        sibling.taskId,
        { position: sibling.position, ...(parentPlace && { parent: parentPlace }) },
        at,
      );
    const placement = { position, ...(parentPlace && { parent: parentPlace }) };
    if (to.listId === list.listId) {
      const moved = await store.place(list, task.taskId, placement, at, condition);
      for (const subtask of subtasks)
        await store.place(list, subtask.taskId, { position: subtask.position, parent: placedOf(moved) }, at);
      return moved;
    }
    const { parentId: _parentId, ...rest } = task;
    const stamp = { listId: to.listId, updatedAt: at.toISOString() };
    const moved = await store.put(
      to,
      {
        ...rest,
        ...stamp,
        position,
        ...(parent && { parentId: parent.taskId }),
        version: task.version + 1,
      },
      parentPlace,
    );
    for (const { taskId: id } of subtasks) {
      const subtask = await store.get(list, id);
      if (subtask)
        await store.put(to, { ...subtask, ...stamp, version: subtask.version + 1 }, placedOf(moved));
    }
    for (const subtask of subtasks)
      await store.delete(list, subtask.taskId, undefined, at).catch(() => undefined);
    await store.delete(list, task.taskId, undefined, at);
    return moved;
  }

  return {
    async createTask(
      list: ListRef,
      principalId: string,
      input: NewTaskInput,
      options: CreateOptions = {},
    ): Promise<CreateResult> {
      const parent =
        input.parentId === undefined ? undefined : await parentIn(list, input.parentId, 'parentId');
      const taskWithId = (taskId: string) => {
        const at = now();
        const task = newTask(input, taskId, at, { listId: list.listId, position: positionAt(at) });
        return parent ? { ...task, parentId: parent.taskId } : task;
      };
      const parentPlace = parent && placedOf(parent);
      const admitted = await caps?.admit(amountsOf(list, parent?.taskId));
      const result = await (options.idempotencyKey === undefined
        ? store.create(list, taskWithId(newId()), parentPlace).then((task) => ({ task, replayed: false }))
        : createIdempotently(
            deps,
            {
              list,
              keySpace: isDefaultList(list) ? principalId : `${principalId}#${list.listId}`,
              taskWithId,
              ...(parentPlace && { parent: parentPlace }),
            },
            input,
            options.idempotencyKey,
          )
      ).catch(async (error: unknown) => {
        await admitted?.undo();
        throw error;
      });
      await (result.replayed ? admitted?.undo() : admitted?.stored());
      if (!result.replayed) onOutcome('created');
      return result;
    },

    async getTask(list: ListRef, taskId: string): Promise<Task> {
      const task = await store.get(list, checkTaskId(taskId));
      if (!task) throw new TaskNotFoundError();
      return task;
    },

    async updateTask(list: ListRef, taskId: string, patch: TaskPatch, condition?: WriteCondition) {
      const task = await store.update(list, checkTaskId(taskId), planTaskChange(patch, now()), condition);
      if (completedBy(task)) onOutcome('completed');
      return task;
    },

    /** Deletes the task and its subtasks: each leaves a tombstone, so syncing clients drop them all. */
    async deleteTask(list: ListRef, taskId: string, condition?: WriteCondition): Promise<void> {
      const task = await store.get(list, checkTaskId(taskId));
      if (!task) throw new TaskNotFoundError();
      assertCondition(task, condition);
      const at = now();
      const subtasks = task.parentId === undefined ? await subtasksOf(list, placedOf(task)) : [];
      for (const subtask of subtasks)
        await store.delete(list, subtask.taskId, undefined, at).catch((error: unknown) => {
          if (!(error instanceof TaskNotFoundError)) throw error; // deleted meanwhile: as wanted
        });
      await store.delete(list, task.taskId, condition, at);
      await caps?.release(amountsOf(list, undefined), 1 + subtasks.length);
      if (task.parentId !== undefined) await caps?.release(amountsOf(list, task.parentId).slice(1));
    },

    /**
     * Places a task after `previousId` under `parentId`, in its list or another. Within a list it is one
     * write of the task, plus one per subtask (their outline keys start with their parent's position), plus
     * the rare respacing; to another list, the task and its subtasks are written there, then deleted here.
     */
    async moveTask(list: ListRef, taskId: string, move: MoveRequest, condition?: WriteCondition) {
      const task = await store.get(list, checkTaskId(taskId));
      if (!task) throw new TaskNotFoundError();
      assertCondition(task, condition);
      const to = move.to ?? list;
      const parent = move.parentId === null ? undefined : await parentIn(to, move.parentId, 'parentId');
      if (parent?.taskId === task.taskId) throw invalid('parentId', 'A task cannot be its own parent');
      const subtasks = task.parentId === undefined ? await subtasksOf(list, placedOf(task)) : [];
      if (parent && subtasks.length > 0)
        throw invalid('parentId', 'A task with subtasks cannot become a subtask: subtasks have one level');
      let previous: Task | undefined;
      if (move.previousId !== null) {
        previous = isServerId(move.previousId)
          ? await store.get(to, move.previousId.toLowerCase())
          : undefined;
        if (!previous || previous.taskId === task.taskId || previous.parentId !== parent?.taskId)
          throw invalid(
            'previousId',
            "Field 'previousId' must name another task under the same parent, or be null",
          );
      }
      // A move counts towards the caps of where it lands: its list's, when it changes, and its new parent's.
      const landing = [
        ...(to.listId === list.listId ? [] : amountsOf(to, undefined)),
        ...(parent && (parent.taskId !== task.parentId || to.listId !== list.listId)
          ? amountsOf(to, parent.taskId).slice(1)
          : []),
      ];
      const leaving = [
        ...(to.listId === list.listId ? [] : amountsOf(list, undefined)),
        ...(task.parentId !== undefined && (parent?.taskId !== task.parentId || to.listId !== list.listId)
          ? amountsOf(list, task.parentId).slice(1)
          : []),
      ];
      const admitted = await caps?.admit(landing, 1 + subtasks.length);
      const moved = await placeMoved(list, to, task, subtasks, parent, previous, condition).catch(
        async (error: unknown) => {
          await admitted?.undo();
          throw error;
        },
      );
      await admitted?.stored();
      await caps?.release(leaving, 1 + subtasks.length);
      return moved;
    },

    /** A listing, or with `updatedSince` a page of the change feed (tasks and tombstones). */
    async listTasks(list: ListRef, query: ListQuery): Promise<TaskPage | ChangePage> {
      const { updatedSince: since, limit, cursor } = query;
      if (since === undefined) return store.list(list, query);
      const at = now();
      assertRetained(since, at);
      const until = horizonOf(at, deps.feedSettleMs);
      return store.changes(list, { since, until, limit, ...(cursor !== undefined && { cursor }) });
    },
  };
}

export type TaskService = ReturnType<typeof makeTaskService>;
