import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IdempotencyRecord, IdempotencyStore } from '../../src/domain/idempotency-store.js';
import { newTask } from '../../src/domain/task.js';

/** What every IdempotencyStore must do, run against the in-memory fake and the DynamoDB adapter alike. */
export function describeIdempotencyStoreContract(
  name: string,
  makeStore: () => Promise<IdempotencyStore> | IdempotencyStore,
) {
  describe(`${name} honours the IdempotencyStore contract`, () => {
    let records: IdempotencyStore;
    const NOW = 1_800_000_000;
    const owner = () => `owner-${randomUUID()}`;
    const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
      key: `key-${randomUUID()}`,
      fingerprint: 'fp-1',
      taskId: uuidv7(),
      state: 'pending',
      leaseUntil: NOW * 1000 + 5000,
      expiresAt: NOW + 86_400,
      ...overrides,
    });

    beforeAll(async () => {
      records = await makeStore();
    });

    it('claims a free key once and reads the record back', async () => {
      const ownerId = owner();
      const first = record();
      expect(await records.claim(ownerId, first, NOW)).toBe(true);
      expect(await records.claim(ownerId, { ...first, taskId: uuidv7() }, NOW)).toBe(false);
      expect(await records.get(ownerId, first.key, NOW)).toEqual(first);
    });

    it('scopes keys to the principal', async () => {
      const r = record();
      expect(await records.claim(owner(), r, NOW)).toBe(true);
      expect(await records.claim(owner(), r, NOW)).toBe(true);
    });

    it('treats an expired record as absent and lets the key be claimed again', async () => {
      const ownerId = owner();
      const old = record({ expiresAt: NOW });
      await records.claim(ownerId, old, NOW - 10);
      expect(await records.get(ownerId, old.key, NOW)).toBeUndefined();
      const next = { ...old, taskId: uuidv7(), expiresAt: NOW + 100 };
      expect(await records.claim(ownerId, next, NOW)).toBe(true);
      expect((await records.get(ownerId, old.key, NOW))?.taskId).toBe(next.taskId);
    });

    it('lets exactly one request take over a lapsed lease', async () => {
      const ownerId = owner();
      const r = record();
      await records.claim(ownerId, r, NOW);
      const outcomes = await Promise.all(
        [1, 2, 3].map((i) => records.takeOver(ownerId, r.key, r.leaseUntil, r.leaseUntil + i)),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await records.takeOver(ownerId, r.key, r.leaseUntil, r.leaseUntil + 9)).toBe(false);
    });

    it('completes with the task to replay, after which no take-over is possible', async () => {
      const ownerId = owner();
      const r = record();
      await records.claim(ownerId, r, NOW);
      const task = newTask({ title: 't', description: '', status: 'PENDING' }, r.taskId, new Date());
      await records.complete(ownerId, r, task);
      expect(await records.get(ownerId, r.key, NOW)).toEqual({ ...r, state: 'done', task });
      expect(await records.takeOver(ownerId, r.key, r.leaseUntil, r.leaseUntil + 1)).toBe(false);
    });

    it("does not complete another request's record that reclaimed the key", async () => {
      const ownerId = owner();
      const stale = record({ expiresAt: NOW });
      await records.claim(ownerId, stale, NOW - 10);
      const current = { ...stale, taskId: uuidv7(), expiresAt: NOW + 100 };
      await records.claim(ownerId, current, NOW);
      const task = newTask({ title: 't', description: '', status: 'PENDING' }, stale.taskId, new Date());
      await records.complete(ownerId, stale, task);
      expect(await records.get(ownerId, stale.key, NOW)).toEqual(current);
    });
  });
}
