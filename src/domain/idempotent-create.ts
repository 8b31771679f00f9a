import { createHash } from 'node:crypto';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, TaskExistsError } from './errors.js';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';
import type { NewTaskInput, Task } from './task.js';
import type { ListRef } from './task-list.js';
import type { Placed } from './task-order.js';
import type { TaskStore } from './task-store.js';

export const IDEMPOTENCY_LIMITS = Object.freeze({
  /** A key is remembered this long, then free again. */
  ttlSeconds: 24 * 60 * 60,
  /** A pending record older than this belongs to a request that died or stalled; a retry takes over. */
  leaseMs: 5_000,
  /** How long a retry waits for an in-flight first request before answering 409. */
  waitMs: 1_000,
  pollMs: 50,
});

export interface CreateResult {
  readonly task: Task;
  /** True when this answer repeats an earlier request's result instead of creating anything. */
  readonly replayed: boolean;
}

interface Deps {
  readonly store: TaskStore;
  readonly idempotency: IdempotencyStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** JSON with sorted keys, so the same body in another key order has the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprintOf(input: NewTaskInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('base64url');
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * `POST /tasks` with an `Idempotency-Key`, without transactions. Steps: claim the key with a pending record
 * that fixes the task id → put the task with that id (conditional) → mark the record done with the task.
 * A process that dies between any two steps leaves a pending record; once its lease lapses a retry takes
 * it over and repeats the steps with the same id, and the conditional put makes the repeat harmless.
 */
/**
 * Where an idempotent create writes: the list, the task it would make with a given id, and the key space
 * its `Idempotency-Key`s live in (one per principal and list, so a key reused in another list is new there).
 */
export interface CreateTarget {
  readonly list: ListRef;
  readonly keySpace: string;
  readonly taskWithId: (taskId: string) => Task;
  /** A subtask's parent's place (`TaskStore.create`). */
  readonly parent?: Placed;
}

export async function createIdempotently(
  { store, idempotency, now, newId }: Deps,
  { list, keySpace, taskWithId, parent }: CreateTarget,
  input: NewTaskInput,
  key: string,
): Promise<CreateResult> {
  const fingerprint = fingerprintOf(input);
  const seconds = () => Math.floor(now().getTime() / 1000);

  async function finish(record: IdempotencyRecord): Promise<CreateResult> {
    let result: CreateResult;
    try {
      result = { task: await store.create(list, taskWithId(record.taskId), parent), replayed: false };
    } catch (error) {
      // An earlier holder of this key created the task before dying: that task is the answer.
      const existing = error instanceof TaskExistsError && (await store.get(list, record.taskId));
      if (!existing) throw error;
      result = { task: existing, replayed: true };
    }
    await idempotency.complete(keySpace, record, result.task);
    return result;
  }

  /** The live record, polled while another request holds its lease, up to `waitMs`. */
  async function settledRecord(): Promise<IdempotencyRecord | undefined> {
    for (let waited = 0; ; waited += IDEMPOTENCY_LIMITS.pollMs) {
      const record = await idempotency.get(keySpace, key, seconds());
      const busy = record?.state === 'pending' && record.leaseUntil > now().getTime();
      if (!busy || record.fingerprint !== fingerprint || waited >= IDEMPOTENCY_LIMITS.waitMs) return record;
      await sleep(IDEMPOTENCY_LIMITS.pollMs);
    }
  }

  for (let attempt = 0; attempt < 3; attempt++) {
    const at = now().getTime();
    const fresh: IdempotencyRecord = {
      key,
      fingerprint,
      taskId: newId(),
      state: 'pending',
      leaseUntil: at + IDEMPOTENCY_LIMITS.leaseMs,
      expiresAt: Math.floor(at / 1000) + IDEMPOTENCY_LIMITS.ttlSeconds,
    };
    if (await idempotency.claim(keySpace, fresh, seconds())) return finish(fresh);
    const found = await settledRecord();
    if (!found) continue; // expired or removed in between: claim again
    if (found.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    if (found.state === 'done' && found.task) return { task: found.task, replayed: true };
    if (found.leaseUntil > now().getTime()) throw new IdempotencyInProgressError();
    const lease = now().getTime() + IDEMPOTENCY_LIMITS.leaseMs;
    if (await idempotency.takeOver(keySpace, key, found.leaseUntil, lease))
      return finish({ ...found, leaseUntil: lease });
  }
  throw new IdempotencyInProgressError();
}
