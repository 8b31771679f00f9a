import type { IdempotencyRecord, IdempotencyStore } from '../domain/idempotency-store.js';
import type { Task } from '../domain/task.js';

/** The in-memory IdempotencyStore; the same contract tests as the DynamoDB adapter keep it honest. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  // Each method checks and writes without an await in between, as a conditional write is atomic.
  async claim(ownerId: string, record: IdempotencyRecord, nowSeconds: number): Promise<boolean> {
    if (this.live(ownerId, record.key, nowSeconds)) return false;
    this.records.set(this.id(ownerId, record.key), structuredClone(record));
    return true;
  }

  async get(ownerId: string, key: string, nowSeconds: number) {
    const record = this.live(ownerId, key, nowSeconds);
    return record && structuredClone(record);
  }

  private live(ownerId: string, key: string, nowSeconds: number) {
    const record = this.records.get(this.id(ownerId, key));
    return record && record.expiresAt > nowSeconds ? record : undefined;
  }

  async takeOver(ownerId: string, key: string, from: number, to: number): Promise<boolean> {
    const record = this.records.get(this.id(ownerId, key));
    if (record?.state !== 'pending' || record.leaseUntil !== from) return false;
    this.records.set(this.id(ownerId, key), { ...record, leaseUntil: to });
    return true;
  }

  async complete(ownerId: string, record: IdempotencyRecord, task: Task): Promise<void> {
    const current = this.records.get(this.id(ownerId, record.key));
    if (current?.taskId !== record.taskId) return;
    this.records.set(this.id(ownerId, record.key), {
      ...current,
      state: 'done',
      task: structuredClone(task),
    });
  }

  private id(ownerId: string, key: string): string {
    return JSON.stringify([ownerId, key]);
  }
}
