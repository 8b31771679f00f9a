import type { Task } from './task.js';

/**
 * One `Idempotency-Key` of one principal. The task id is chosen when the key is claimed, before the task
 * is written, so every retry (and any request that takes over from a crashed one) writes the same id with
 * a conditional put: however the steps interleave or die, at most one task exists per key.
 */
export interface IdempotencyRecord {
  readonly key: string;
  /** A digest of the validated request body: the same key with another body is refused. */
  readonly fingerprint: string;
  readonly taskId: string;
  readonly state: 'pending' | 'done';
  /** Epoch milliseconds until which a pending record belongs to the request that wrote it. */
  readonly leaseUntil: number;
  /** Epoch seconds after which the key is free again (the table's TTL attribute). */
  readonly expiresAt: number;
  /** The created task, replayed to retries once the record is done. */
  readonly task?: Task;
}

/** The port for idempotency records; single-item conditional writes only (no transactions). */
export interface IdempotencyStore {
  /** Writes the record unless a live one holds the key. True when this call claimed it. */
  claim(ownerId: string, record: IdempotencyRecord, nowSeconds: number): Promise<boolean>;
  /** The live record for the key; undefined when there is none or it has expired. */
  get(ownerId: string, key: string, nowSeconds: number): Promise<IdempotencyRecord | undefined>;
  /** Takes over a pending record whose lease is still `from`; false if another request got there first. */
  takeOver(ownerId: string, key: string, from: number, to: number): Promise<boolean>;
  /** Marks the record done with the task to replay, unless the key now holds another request's record. */
  complete(ownerId: string, record: IdempotencyRecord, task: Task): Promise<void>;
}
