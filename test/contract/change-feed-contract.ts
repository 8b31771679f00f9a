import { createHash, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangesQuery, TaskChangeEntry } from '../../src/domain/change-feed.js';
import { TaskNotFoundError } from '../../src/domain/errors.js';
import type { ListQuery } from '../../src/domain/list-query.js';
import { newTask, planTaskChange, type Task } from '../../src/domain/task.js';
import { defaultListOf, type ListRef } from '../../src/domain/task-list.js';
import type { TaskStore } from '../../src/domain/task-store.js';
import { InvalidCursorError } from '../../src/store/cursor.js';
import { changesBinding } from '../../src/store/list-order.js';
import { listPartitionKey } from '../../src/store/table-schema.js';

/**
 * A feed cursor with its horizon moved, and its digest recomputed the way anyone reading the code could:
 * SHA-256 over the public format (the scheme before cursors were signed with a server key).
 */
function forgeHorizon(cursor: string, binding: string, until: string): string {
  const { p } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  const position = { ...p, until } as Record<string, string>;
  const canonical = JSON.stringify([
    binding,
    Object.keys(position)
      .sort()
      .map((k) => [k, position[k]]),
  ]);
  const digest = createHash('sha256').update('task-cursor-v1\0').update(canonical).digest().subarray(0, 16);
  const d = digest.toString('base64url');
  return Buffer.from(JSON.stringify({ p: position, d, s: d })).toString('base64url');
}

/** Tombstones and the change feed, for every TaskStore: the fake and the DynamoDB adapter alike. */
export function describeChangeFeedContract(name: string, makeStore: () => Promise<TaskStore> | TaskStore) {
  describe(`${name} keeps tombstones and serves the change feed`, () => {
    let store: TaskStore;
    const owner = () => defaultListOf(`owner-${randomUUID()}`);
    const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute));
    const iso = (minute: number) => at(minute).toISOString();
    const feed = (since: number, until: number, limit = 100): ChangesQuery => ({
      since: iso(since),
      until: iso(until),
      limit,
    });
    const create = (ownerId: ListRef, minute: number, extra: Partial<Task> = {}) =>
      store.create(ownerId, {
        ...newTask({ title: `t${minute}`, description: '', status: 'PENDING' }, uuidv7(), at(minute)),
        ...extra,
      });
    const summary = (entries: readonly TaskChangeEntry[]) =>
      entries.map((e) => ('deleted' in e ? `-${e.taskId}` : (e as Task).title));

    beforeAll(async () => {
      store = await makeStore();
    });

    it('answers a deleted task as missing to get, update and delete', async () => {
      const ownerId = owner();
      const t = await create(ownerId, 1);
      await store.delete(ownerId, t.taskId, undefined, at(2));
      expect(await store.get(ownerId, t.taskId)).toBeUndefined();
      const change = planTaskChange({ title: 'back' }, at(3));
      await expect(store.update(ownerId, t.taskId, change)).rejects.toBeInstanceOf(TaskNotFoundError);
      await expect(store.delete(ownerId, t.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
      await expect(store.delete(ownerId, t.taskId, { versionIn: [1] })).rejects.toBeInstanceOf(
        TaskNotFoundError,
      );
    });

    it('never lists a tombstone, whatever the filter or order', async () => {
      const ownerId = owner();
      const kept = await create(ownerId, 1, { tags: ['x'], dueDate: '2026-07-01' });
      const gone = await create(ownerId, 2, { tags: ['x'], dueDate: '2026-07-02' });
      await store.delete(ownerId, gone.taskId, undefined, at(3));
      const queries: ListQuery[] = [
        { limit: 10 },
        { limit: 10, status: 'PENDING' },
        { limit: 10, tag: 'x' },
        { limit: 10, sort: 'dueDate' },
        { limit: 10, sort: 'dueDate', dueAfter: '2026-01-01T00:00:00.000Z' },
        { limit: 10, sort: 'updatedAt', order: 'desc' },
      ];
      for (const query of queries)
        expect((await store.list(ownerId, query)).items.map((t) => t.taskId)).toEqual([kept.taskId]);
    });

    it('returns the changes since an instant, oldest first, with a tombstone for each deletion', async () => {
      const ownerId = owner();
      const a = await create(ownerId, 1);
      const b = await create(ownerId, 2);
      await create(ownerId, 3);
      await store.update(ownerId, a.taskId, planTaskChange({ title: 'a, renamed' }, at(4)));
      await store.delete(ownerId, b.taskId, undefined, at(5));
      const page = await store.changes(ownerId, feed(2, 10));
      expect(summary(page.items)).toEqual(['t3', 'a, renamed', `-${b.taskId}`]);
      expect(page.items.at(-1)).toEqual({ taskId: b.taskId, deleted: true, updatedAt: iso(5) });
      expect(page.nextCursor).toBeUndefined();
    });

    it('includes a change at `since` and leaves out one at or after the horizon', async () => {
      const ownerId = owner();
      await create(ownerId, 2);
      await create(ownerId, 3);
      await create(ownerId, 4);
      expect(summary((await store.changes(ownerId, feed(2, 4))).items)).toEqual(['t2', 't3']);
    });

    it('pages in order with a cursor that keeps the horizon of its first page', async () => {
      const ownerId = owner();
      for (let minute = 1; minute <= 5; minute++) await create(ownerId, minute);
      const first = await store.changes(ownerId, feed(0, 4, 2));
      expect(summary(first.items)).toEqual(['t1', 't2']);
      const cursor = first.nextCursor ?? '';
      // A later page asked with a later horizon still stops at the first page's.
      const second = await store.changes(ownerId, { ...feed(0, 30, 2), cursor });
      expect(summary(second.items)).toEqual(['t3']);
      expect(second.nextCursor).toBeUndefined();
    });

    it('refuses a cursor forged to move its horizon into the future, as anyone knowing the format could', async () => {
      const ownerId = owner();
      for (let minute = 1; minute <= 3; minute++) await create(ownerId, minute);
      const { nextCursor = '' } = await store.changes(ownerId, feed(0, 10, 1));
      const forged = forgeHorizon(
        nextCursor,
        changesBinding(listPartitionKey(ownerId), iso(0)),
        '9999-01-01T00:00:00.000Z',
      );
      await expect(store.changes(ownerId, { ...feed(0, 10, 1), cursor: forged })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it("never shows another owner's changes or tombstones, nor accepts their cursor", async () => {
      const alice = owner();
      const bob = owner();
      const t = await create(alice, 1);
      await create(alice, 2);
      await store.delete(alice, t.taskId, undefined, at(3));
      expect((await store.changes(bob, feed(0, 10))).items).toEqual([]);
      const cursor = (await store.changes(alice, feed(0, 10, 1))).nextCursor ?? '';
      await expect(store.changes(bob, { ...feed(0, 10, 1), cursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(store.changes(alice, { ...feed(1, 10, 1), cursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });
  });
}
