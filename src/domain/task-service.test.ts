import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { TaskNotFoundError } from './errors.js';
import { defaultListOf } from './task-list.js';
import { makeTaskService, type TaskOutcome } from './task-service.js';
import type { TaskStore } from './task-store.js';

const ID = '0190A8A4-0000-7000-8000-00000000000A';

function setUp(store: TaskStore = new MemoryTaskStore()) {
  return makeTaskService({
    store,
    idempotency: new MemoryIdempotencyStore(),
    now: () => new Date('2026-01-01T00:00:00Z'),
    newId: () => ID.toLowerCase(),
  });
}

describe('the task service', () => {
  it('finds a task by its id in upper case too', async () => {
    const service = setUp();
    await service.createTask(defaultListOf('alice'), 'alice', {
      title: 't',
      description: '',
      status: 'PENDING',
    });
    expect((await service.getTask(defaultListOf('alice'), ID)).taskId).toBe(ID.toLowerCase());
  });

  it('answers TaskNotFoundError for an id that is not a UUID without asking the store', async () => {
    const calls: string[] = [];
    const record = (name: string) => async (): Promise<never> => {
      calls.push(name);
      throw new Error('the store was called');
    };
    const spy: TaskStore = {
      create: record('create'),
      put: record('put'),
      get: record('get'),
      update: record('update'),
      place: record('place'),
      siblings: record('siblings'),
      delete: record('delete'),
      changes: record('changes'),
      list: record('list'),
    };
    const service = setUp(spy);
    await expect(service.getTask(defaultListOf('alice'), '../etc/passwd')).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    await expect(service.deleteTask(defaultListOf('alice'), 'x')).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(service.updateTask(defaultListOf('alice'), '1', { title: 't' })).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
    expect(calls).toEqual([]);
  });

  it("keeps each owner's tasks apart", async () => {
    const service = setUp();
    const { task } = await service.createTask(defaultListOf('alice'), 'alice', {
      title: 't',
      description: '',
      status: 'PENDING',
    });
    await expect(service.getTask(defaultListOf('bob'), task.taskId)).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
  });
});

describe('the outcomes the task service reports', () => {
  function observed() {
    const outcomes: TaskOutcome[] = [];
    let n = 0;
    let second = 0;
    const service = makeTaskService({
      store: new MemoryTaskStore(),
      idempotency: new MemoryIdempotencyStore(),
      now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, ++second)),
      newId: () => `0190a8a4-0000-7000-8000-${String(++n).padStart(12, '0')}`,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    return { service, outcomes };
  }
  const input = { title: 't', description: '', status: 'PENDING' } as const;

  it('reports a create once, and not its replay with the same Idempotency-Key', async () => {
    const { service, outcomes } = observed();
    await service.createTask(defaultListOf('alice'), 'alice', input);
    await service.createTask(defaultListOf('alice'), 'alice', input, { idempotencyKey: 'k1' });
    const replay = await service.createTask(defaultListOf('alice'), 'alice', input, { idempotencyKey: 'k1' });
    expect(replay.replayed).toBe(true);
    expect(outcomes).toEqual(['created', 'created']);
  });

  it('reports a completion on the write that marks the task DONE, and on no later write', async () => {
    const { service, outcomes } = observed();
    const { task } = await service.createTask(defaultListOf('alice'), 'alice', input);
    await service.updateTask(defaultListOf('alice'), task.taskId, { title: 'renamed' });
    await service.updateTask(defaultListOf('alice'), task.taskId, { status: 'DONE' });
    await service.updateTask(defaultListOf('alice'), task.taskId, { title: 'renamed again' });
    await service.updateTask(defaultListOf('alice'), task.taskId, { status: 'DONE' });
    expect(outcomes).toEqual(['created', 'completed']);
  });

  it('reports no completion for a write the store refuses', async () => {
    const { service, outcomes } = observed();
    const { task } = await service.createTask(defaultListOf('alice'), 'alice', input);
    const stale = { versionIn: [task.version + 1] };
    await expect(
      service.updateTask(defaultListOf('alice'), task.taskId, { status: 'DONE' }, stale),
    ).rejects.toThrow();
    expect(outcomes).toEqual(['created']);
  });
});
