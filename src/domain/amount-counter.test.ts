import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { MemoryAmountCounter } from '../store/memory-amount-counter.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { type AmountCounter, exactMargin, makeCaps, nearCap, SAMPLE_STEP } from './amount-counter.js';
import { LimitReachedError } from './errors.js';
import { LIMITS, type Limits } from './limits.js';
import { defaultListOf } from './task-list.js';
import { makeTaskService } from './task-service.js';

const TASK = { title: 't', description: '', status: 'PENDING' } as const;

function setUp(limits: Limits, random: () => number = Math.random) {
  const store = new MemoryTaskStore();
  const counts = new MemoryAmountCounter();
  const service = makeTaskService({
    store,
    idempotency: new MemoryIdempotencyStore(),
    counts,
    limits,
    random,
    now: () => new Date(),
    newId: uuidv7,
  });
  return { store, counts, service };
}

describe('the counts of tasks and subtasks', () => {
  it('turns exact a margin of eight standard deviations below the cap', () => {
    expect(exactMargin(LIMITS.tasksPerList)).toBe(Math.ceil(8 * Math.sqrt(20_000 * 15)));
    expect(nearCap(15_000, LIMITS.tasksPerList)).toBe(false);
    expect(nearCap(15_700, LIMITS.tasksPerList)).toBe(true);
    // A small cap is counted exactly from the first task.
    expect(nearCap(0, 10)).toBe(true);
  });

  it('far from the cap, samples: k with probability 1/k, within a few standard deviations', async () => {
    const counts = new MemoryAmountCounter();
    const key = { list: defaultListOf('alice') };
    let writes = 0;
    const counting: AmountCounter = {
      read: (k) => counts.read(k),
      claim: (k, cap) => counts.claim(k, cap),
      add: async (k, delta) => {
        writes++;
        await counts.add(k, delta);
      },
    };
    const limits = { ...LIMITS, tasksPerList: 1e9 };
    const sampled = makeCaps({ counts: counting, limits, random: Math.random });
    for (let i = 0; i < 4_000; i++) await (await sampled.admit([[key, 'tasksPerList']])).stored();
    const estimate = await counts.read(key);
    expect(Math.abs(estimate - 4_000)).toBeLessThan(6 * Math.sqrt(4_000 * (SAMPLE_STEP - 1)));
    expect(writes).toBeLessThan(4_000 / SAMPLE_STEP + 6 * Math.sqrt(4_000 / SAMPLE_STEP));
  });

  it('near the cap, is exact: the last task fits, the next is refused and nothing is stored', async () => {
    const { store, service } = setUp({ ...LIMITS, tasksPerList: 10 });
    const list = defaultListOf('alice');
    const made = [];
    for (let i = 0; i < 10; i++) made.push((await service.createTask(list, 'alice', TASK)).task);
    const past = service.createTask(list, 'alice', TASK);
    await expect(past).rejects.toBeInstanceOf(LimitReachedError);
    await expect(past).rejects.toThrow('This list holds 10 tasks, the most a list may hold');
    expect((await store.list(list, { limit: 100 })).items).toHaveLength(10);
    await service.deleteTask(list, made[0]?.taskId ?? '');
    await expect(service.createTask(list, 'alice', TASK)).resolves.toMatchObject({ replayed: false });
  });

  it('caps the subtasks of a task, and counts a deleted parent’s subtasks off its list', async () => {
    const { counts, service } = setUp({ ...LIMITS, tasksPerList: 50, subtasksPerTask: 3 });
    const list = defaultListOf('alice');
    const parent = (await service.createTask(list, 'alice', TASK)).task;
    for (let i = 0; i < 3; i++) await service.createTask(list, 'alice', { ...TASK, parentId: parent.taskId });
    const past = service.createTask(list, 'alice', { ...TASK, parentId: parent.taskId });
    await expect(past).rejects.toThrow('This task has 3 subtasks, the most a task may have');
    expect(await counts.read({ list })).toBe(4);
    await service.deleteTask(list, parent.taskId);
    expect(await counts.read({ list })).toBe(0);
  });

  it('counts a replayed idempotent create once', async () => {
    const { counts, service } = setUp({ ...LIMITS, tasksPerList: 10 });
    const list = defaultListOf('alice');
    await service.createTask(list, 'alice', TASK, { idempotencyKey: 'k1' });
    await service.createTask(list, 'alice', TASK, { idempotencyKey: 'k1' });
    expect(await counts.read({ list })).toBe(1);
  });

  it('counts a move where it lands: a full parent or a full list refuses it, and nothing moves', async () => {
    const { counts, service } = setUp({ ...LIMITS, tasksPerList: 3, subtasksPerTask: 1 });
    const list = defaultListOf('alice');
    const other = { listId: uuidv7() };
    const parent = (await service.createTask(list, 'alice', TASK)).task;
    await service.createTask(list, 'alice', { ...TASK, parentId: parent.taskId });
    const loose = (await service.createTask(list, 'alice', TASK)).task;
    const under = service.moveTask(list, loose.taskId, { previousId: null, parentId: parent.taskId });
    await expect(under).rejects.toThrow('This task has 1 subtasks, the most a task may have');
    expect((await service.getTask(list, loose.taskId)).parentId).toBeUndefined();
    for (let i = 0; i < 3; i++) await service.createTask(other, 'alice', TASK);
    const across = service.moveTask(list, loose.taskId, { previousId: null, parentId: null, to: other });
    await expect(across).rejects.toThrow('This list holds 3 tasks, the most a list may hold');
    const moved = await service.moveTask(list, loose.taskId, {
      previousId: null,
      parentId: null,
      to: { listId: uuidv7() },
    });
    expect(moved.taskId).toBe(loose.taskId);
    expect(await counts.read({ list })).toBe(2);
  });
});
