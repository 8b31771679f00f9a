import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, StoreUnavailableError } from './errors.js';
import { createIdempotently, fingerprintOf, IDEMPOTENCY_LIMITS } from './idempotent-create.js';
import { type NewTaskInput, newTask } from './task.js';
import { defaultListOf } from './task-list.js';

const input: NewTaskInput = {
  title: 'pay rent',
  description: '',
  status: 'PENDING',
  priority: 'MEDIUM',
  tags: [],
};

/** The object with some methods replaced, the rest (and its state) shared. */
function overriding<T extends object>(target: T, methods: Partial<T>): T {
  return Object.assign(Object.create(target) as T, methods);
}

function setUp() {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let n = 0;
  const store = new MemoryTaskStore();
  const records = new MemoryIdempotencyStore();
  const deps = {
    store,
    idempotency: records,
    now: () => new Date(clock),
    newId: () => `0190a8a4-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  };
  const create = (body: NewTaskInput = input, key = 'k1') =>
    createIdempotently(deps, target(body), body, key);
  const advance = (ms: number) => {
    clock += ms;
  };
  const taskCount = async () => (await store.list(defaultListOf('alice'), { limit: 100 })).items.length;
  return { deps, store, records, create, advance, taskCount, seconds: () => Math.floor(clock / 1000) };
}

/** Where alice's creates go: her default list, her own key space. */
const target = (body: NewTaskInput) => ({
  list: defaultListOf('alice'),
  keySpace: 'alice',
  taskWithId: (taskId: string) => newTask(body, taskId, new Date('2026-01-01T00:00:00Z')),
});

describe('an idempotent create', () => {
  it('replays the first result for the same key and body, creating nothing new', async () => {
    const { create, taskCount } = setUp();
    const first = await create();
    const again = await create();
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ task: first.task, replayed: true });
    expect(await taskCount()).toBe(1);
  });

  it('treats the same body in another key order as the same request', () => {
    const reordered = Object.fromEntries(Object.entries(input).reverse()) as NewTaskInput;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(input));
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(input));
  });

  it('refuses the same key with another body with IdempotencyKeyReusedError', async () => {
    const { create, taskCount } = setUp();
    await create();
    await expect(create({ ...input, title: 'other' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await taskCount()).toBe(1);
  });

  it('answers IdempotencyInProgressError while the first request holds its lease', async () => {
    const { create, records, deps, seconds } = setUp();
    const now = deps.now().getTime();
    await records.claim(
      'alice',
      {
        key: 'k1',
        fingerprint: fingerprintOf(input),
        taskId: deps.newId(),
        state: 'pending',
        leaseUntil: now + IDEMPOTENCY_LIMITS.leaseMs,
        expiresAt: seconds() + 100,
      },
      seconds(),
    );
    await expect(create()).rejects.toBeInstanceOf(IdempotencyInProgressError);
  }, 5_000);

  it('creates exactly one task for concurrent retries with one key', async () => {
    const { create, taskCount } = setUp();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => create()));
    const ids = new Set(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.task.taskId] : [])));
    expect(ids.size).toBe(1);
    expect(await taskCount()).toBe(1);
  });

  it('recovers when the process died after claiming the key, with the same task id', async () => {
    const { create, records, store, deps, advance, taskCount, seconds } = setUp();
    const failing = {
      ...deps,
      store: overriding(store, { create: () => Promise.reject(new StoreUnavailableError()) }),
    };
    await expect(createIdempotently(failing, target(input), input, 'k1')).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    const claimed = await records.get('alice', 'k1', seconds());
    advance(IDEMPOTENCY_LIMITS.leaseMs + 1);
    const retried = await create();
    expect(retried.task.taskId).toBe(claimed?.taskId);
    expect(await taskCount()).toBe(1);
  });

  it('recovers when the process died after creating the task but before completing the record', async () => {
    const { create, records, deps, advance, taskCount } = setUp();
    const complete = () => Promise.reject(new Error('killed'));
    const dying = { ...deps, idempotency: overriding(records, { complete }) };
    const first = await createIdempotently(dying, target(input), input, 'k1').catch(() => undefined);
    expect(first).toBeUndefined();
    advance(IDEMPOTENCY_LIMITS.leaseMs + 1);
    const retried = await create();
    expect(retried.replayed).toBe(true);
    expect(await taskCount()).toBe(1);
    expect((await create()).task).toEqual(retried.task);
  });

  it('forgets a key after 24 hours', async () => {
    const { create, advance, taskCount } = setUp();
    const first = await create();
    advance(IDEMPOTENCY_LIMITS.ttlSeconds * 1000);
    const later = await create();
    expect(later.task.taskId).not.toBe(first.task.taskId);
    expect(await taskCount()).toBe(2);
  });
});
