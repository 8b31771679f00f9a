import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { TaskNotFoundError } from './errors.js';
import { makeTaskService } from './task-service.js';
import type { TaskStore } from './task-store.js';

const ID = '0190A8A4-0000-7000-8000-00000000000A';

function setUp(store: TaskStore = new MemoryTaskStore()) {
  return makeTaskService({
    store,
    records: new MemoryIdempotencyStore(),
    now: () => new Date('2026-01-01T00:00:00Z'),
    newId: () => ID.toLowerCase(),
  });
}

describe('the task service', () => {
  it('finds a task by its id in upper case too', async () => {
    const service = setUp();
    await service.createTask('alice', { title: 't', description: '', status: 'PENDING' });
    expect((await service.getTask('alice', ID)).taskId).toBe(ID.toLowerCase());
  });

  it('answers TaskNotFoundError for an id that is not a UUID without asking the store', async () => {
    const calls: string[] = [];
    const record = (name: string) => async (): Promise<never> => {
      calls.push(name);
      throw new Error('the store was called');
    };
    const spy: TaskStore = {
      create: record('create'),
      get: record('get'),
      update: record('update'),
      delete: record('delete'),
      changes: record('changes'),
      list: record('list'),
    };
    const service = setUp(spy);
    await expect(service.getTask('alice', '../etc/passwd')).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(service.deleteTask('alice', 'x')).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(service.updateTask('alice', '1', { title: 't' })).rejects.toBeInstanceOf(TaskNotFoundError);
    expect(calls).toEqual([]);
  });

  it("keeps each owner's tasks apart", async () => {
    const service = setUp();
    const { task } = await service.createTask('alice', { title: 't', description: '', status: 'PENDING' });
    await expect(service.getTask('bob', task.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
  });
});
