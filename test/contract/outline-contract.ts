import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTask, type Task } from '../../src/domain/task.js';
import type { ListRef } from '../../src/domain/task-list.js';
import { type Placed, positionAt, positionBetween } from '../../src/domain/task-order.js';
import type { TaskStore } from '../../src/domain/task-store.js';

const placedOf = (task: Task): Placed => ({ taskId: task.taskId, position: task.position });
const titles = (tasks: readonly Task[]) => tasks.map((task) => task.title);

/**
 * What every TaskStore does with the outline (`domain/task-order.ts`): the manual order of a named list,
 * subtasks under their parent, siblings read from a place, a task placed elsewhere. Run on the in-memory
 * fake and on the DynamoDB adapter, so both order alike.
 */
export function describeOutlineContract(name: string, makeStore: () => Promise<TaskStore> | TaskStore) {
  describe(`${name} keeps the outline`, () => {
    let store: TaskStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    /** A named list with top-level tasks A, B, C (created in that order) and A's subtasks A1, A2. */
    async function outline() {
      const list: ListRef = { listId: randomUUID() };
      let clock = Date.parse('2026-06-01T00:00:00Z');
      const make = async (title: string, parent?: Task) => {
        clock += 1000;
        const at = new Date(clock);
        const task = newTask({ title, description: '', status: 'PENDING' }, uuidv7(), at, {
          listId: list.listId,
          position: positionAt(at),
        });
        return store.create(
          list,
          parent ? { ...task, parentId: parent.taskId } : task,
          parent && placedOf(parent),
        );
      };
      const a = await make('A');
      const b = await make('B');
      const a1 = await make('A1', a);
      const c = await make('C');
      const a2 = await make('A2', a);
      return { list, a, b, c, a1, a2 };
    }

    it('lists a list by position as an outline: each task, then its subtasks, and the list id on each', async () => {
      const { list } = await outline();
      const { items } = await store.list(list, { limit: 20, sort: 'position' });
      expect(titles(items)).toEqual(['A', 'A1', 'A2', 'B', 'C']);
      expect(new Set(items.map((task) => task.listId))).toEqual(new Set([list.listId]));
    });

    it("pages the outline and lists one task's subtasks in order", async () => {
      const { list, a } = await outline();
      const first = await store.list(list, { limit: 2, sort: 'position' });
      const second = await store.list(list, { limit: 10, sort: 'position', cursor: first.nextCursor ?? '' });
      expect([...titles(first.items), ...titles(second.items)]).toEqual(['A', 'A1', 'A2', 'B', 'C']);
      const subtasks = await store.list(list, { limit: 10, sort: 'position', parentId: a.taskId });
      expect(titles(subtasks.items)).toEqual(['A1', 'A2']);
    });

    it('reads siblings from a place, skipping subtasks among the top-level tasks', async () => {
      const { list, a, b, c, a1, a2 } = await outline();
      const forward = await store.siblings(list, { from: placedOf(a), direction: 'forward', limit: 5 });
      expect(forward.map((p) => p.taskId)).toEqual([b.taskId, c.taskId]);
      const backward = await store.siblings(list, { from: placedOf(c), direction: 'backward', limit: 5 });
      expect(backward.map((p) => p.taskId)).toEqual([b.taskId, a.taskId]);
      const first = await store.siblings(list, { direction: 'forward', limit: 1 });
      expect(first).toEqual([placedOf(a)]);
      const children = await store.siblings(list, { parent: placedOf(a), direction: 'forward', limit: 5 });
      expect(children).toEqual([placedOf(a1), placedOf(a2)]);
      const last = await store.siblings(list, { parent: placedOf(a), direction: 'backward', limit: 1 });
      expect(last).toEqual([placedOf(a2)]);
    });

    it('places a task elsewhere in one write: a new position and parent, a new version and updatedAt', async () => {
      const { list, a, b, c } = await outline();
      const at = new Date('2026-07-01T00:00:00Z');
      const moved = await store.place(
        list,
        c.taskId,
        { position: positionBetween(undefined, a.position) },
        at,
      );
      expect(moved).toMatchObject({ taskId: c.taskId, version: c.version + 1, updatedAt: at.toISOString() });
      expect(titles((await store.list(list, { limit: 20, sort: 'position' })).items)).toEqual([
        'C',
        'A',
        'A1',
        'A2',
        'B',
      ]);
      const under = await store.place(list, b.taskId, { position: 'a0', parent: placedOf(a) }, at);
      expect(under.parentId).toBe(a.taskId);
      const children = await store.list(list, { limit: 10, sort: 'position', parentId: a.taskId });
      expect(titles(children.items)).toEqual(['B', 'A1', 'A2']);
      const back = await store.place(list, b.taskId, { position: positionAt(at) }, at);
      expect(back.parentId).toBeUndefined();
      expect(
        titles((await store.list(list, { limit: 10, sort: 'position', parentId: a.taskId })).items),
      ).toEqual(['A1', 'A2']);
    });

    it('orders equal positions by task id, so two moves into one gap still give a total order', async () => {
      const { list, a, b, c } = await outline();
      const at = new Date('2026-07-01T00:00:00Z');
      const gap = positionBetween(a.position, b.position);
      await store.place(list, c.taskId, { position: gap }, at);
      const { items } = await store.list(list, { limit: 20, sort: 'position' });
      const tie = await store.place(list, a.taskId, { position: gap }, at);
      const after = await store.list(list, { limit: 20, sort: 'position' });
      const expected = [tie, { ...c, position: gap }].sort((x, y) => (x.taskId < y.taskId ? -1 : 1));
      expect(titles(items)).toEqual(['A', 'A1', 'A2', 'C', 'B']);
      expect(titles(after.items).filter((t) => t === 'A' || t === 'C')).toEqual(titles(expected));
    });

    it('puts a task into another list whatever is there, and it reads with that list id', async () => {
      const { c } = await outline();
      const other: ListRef = { listId: randomUUID() };
      await store.put(other, { ...c, listId: other.listId });
      const again = await store.put(other, { ...c, listId: other.listId, title: 'C again' });
      expect(again.title).toBe('C again');
      expect(await store.get(other, c.taskId)).toMatchObject({ title: 'C again', listId: other.listId });
    });
  });
}
