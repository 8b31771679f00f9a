import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { InvalidPlacementError } from './errors.js';
import type { Task } from './task.js';
import { defaultListOf, type ListRef } from './task-list.js';
import { ORDER_LIMITS } from './task-order.js';
import { makeTaskService } from './task-service.js';

function setUp() {
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const store = new MemoryTaskStore();
  const service = makeTaskService({
    store,
    idempotency: new MemoryIdempotencyStore(),
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
    newId: uuidv7,
  });
  const list: ListRef = { listId: randomUUID() };
  const add = async (title: string, parent?: Task, into: ListRef = list) =>
    (
      await service.createTask(into, 'alice', {
        title,
        description: '',
        status: 'PENDING',
        ...(parent && { parentId: parent.taskId }),
      })
    ).task;
  const order = async (of: ListRef = list) =>
    ((await service.listTasks(of, { limit: 100, sort: 'position' })).items as Task[]).map((task) =>
      task.parentId ? `  ${task.title}` : task.title,
    );
  return { service, store, list, add, order };
}

/** The tombstones a list's change feed holds. */
async function tombstones(store: MemoryTaskStore, list: ListRef): Promise<number> {
  const feed = await store.changes(list, {
    since: '2026-01-01T00:00:00.000Z',
    until: '2026-06-10T00:00:00.000Z',
    limit: 100,
  });
  return feed.items.filter((entry) => 'deleted' in entry).length;
}

describe('moving a task', () => {
  it('places it after previousId, or first with null, in one write that changes updatedAt', async () => {
    const { service, list, add, order } = setUp();
    const a = await add('A');
    const b = await add('B');
    const c = await add('C');
    const moved = await service.moveTask(list, c.taskId, { previousId: a.taskId, parentId: null });
    expect(await order()).toEqual(['A', 'C', 'B']);
    expect(moved.version).toBe(c.version + 1);
    expect(moved.updatedAt > c.updatedAt).toBe(true);
    await service.moveTask(list, b.taskId, { previousId: null, parentId: null });
    expect(await order()).toEqual(['B', 'A', 'C']);
  });

  it('makes a task a subtask and back, and its subtasks travel with their parent', async () => {
    const { service, list, add, order } = setUp();
    const a = await add('A');
    const b = await add('B');
    await add('A1', a);
    const c = await add('C');
    await service.moveTask(list, c.taskId, { previousId: null, parentId: a.taskId });
    expect(await order()).toEqual(['A', '  C', '  A1', 'B']);
    await service.moveTask(list, a.taskId, { previousId: b.taskId, parentId: null });
    expect(await order()).toEqual(['B', 'A', '  C', '  A1']);
    await service.moveTask(list, c.taskId, { previousId: null, parentId: null });
    expect(await order()).toEqual(['C', 'B', 'A', '  A1']);
  });

  it('refuses a place the outline cannot hold, with a 422 that names the field', async () => {
    const { service, list, add } = setUp();
    const a = await add('A');
    const a1 = await add('A1', a);
    const b = await add('B');
    const elsewhere = await add('X', undefined, defaultListOf('alice'));
    const refused = (move: { previousId: string | null; parentId: string | null }, taskId = b.taskId) =>
      expect(service.moveTask(list, taskId, move)).rejects.toBeInstanceOf(InvalidPlacementError);
    await refused({ previousId: null, parentId: a1.taskId }); // a subtask has no subtasks
    await refused({ previousId: null, parentId: b.taskId }); // its own parent
    await refused({ previousId: null, parentId: elsewhere.taskId }); // a parent in another list
    await refused({ previousId: a1.taskId, parentId: null }); // previous is not a sibling
    await refused({ previousId: b.taskId, parentId: null }); // after itself
    await refused({ previousId: null, parentId: b.taskId }, a.taskId); // A has subtasks
  });

  it('moves a task and its subtasks to another list, and leaves tombstones behind', async () => {
    const { service, store, list, add, order } = setUp();
    const a = await add('A');
    await add('A1', a);
    await add('B');
    const other: ListRef = { listId: randomUUID() };
    await add('Y', undefined, other);
    const moved = await service.moveTask(list, a.taskId, { previousId: null, parentId: null, to: other });
    expect(moved.listId).toBe(other.listId);
    expect(await order(other)).toEqual(['A', '  A1', 'Y']);
    expect(await order()).toEqual(['B']);
    expect(await tombstones(store, list)).toBe(2);
  });

  it('lets two moves into one gap both land, in a total order', async () => {
    const { service, list, add, order } = setUp();
    const a = await add('A');
    await add('B');
    const c = await add('C');
    const d = await add('D');
    await Promise.all([
      service.moveTask(list, c.taskId, { previousId: a.taskId, parentId: null }),
      service.moveTask(list, d.taskId, { previousId: a.taskId, parentId: null }),
    ]);
    const after = await order();
    expect(after.slice(0, 1)).toEqual(['A']);
    expect(after.slice(1, 3).sort()).toEqual(['C', 'D']);
    expect(after[3]).toBe('B');
    expect(await order()).toEqual(after);
  });

  it(`keeps positions within ${ORDER_LIMITS.maxPositionLength} characters over 1,000 inserts into one gap`, async () => {
    const { service, store, list, add } = setUp();
    const first = await add('first');
    await add('last');
    const moving: Task[] = [];
    for (let i = 0; i < 40; i++) moving.push(await add(`m${i}`));
    // Each move goes right after `first`, before the one moved just before: the gap halves every time.
    for (let i = 0; i < 1000; i++) {
      const task = moving[i % moving.length] as Task;
      await service.moveTask(list, task.taskId, { previousId: first.taskId, parentId: null });
    }
    const { items } = await store.list(list, { limit: 100, sort: 'position' });
    const longest = Math.max(...items.map((task) => task.position.length));
    expect(longest).toBeLessThanOrEqual(ORDER_LIMITS.maxPositionLength);
    const expected = ['first', ...moving.map((_, i) => `m${(999 - i) % 40}`).slice(0, 40), 'last'];
    expect(items.map((task) => task.title)).toEqual(expected);
  });
});

describe('deleting a task', () => {
  it('deletes its subtasks too, each leaving a tombstone for the feed', async () => {
    const { service, store, list, add, order } = setUp();
    const a = await add('A');
    await add('A1', a);
    await add('A2', a);
    await add('B');
    await service.deleteTask(list, a.taskId);
    expect(await order()).toEqual(['B']);
    expect(await tombstones(store, list)).toBe(3);
  });
});
