// Long on purpose (~490 lines): the TaskStore port's specification, run on every store (memory, dynalite, DynamoDB Local); one file keeps it one contract.

import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PreconditionFailedError,
  TaskExistsError,
  TaskNotFoundError,
  ValidationError,
} from '../../src/domain/errors.js';
import type { ListQuery } from '../../src/domain/list-query.js';
import { newTask, planTaskChange, type Task, type TaskStatus } from '../../src/domain/task.js';
import { defaultListOf, type ListRef } from '../../src/domain/task-list.js';
import type { TaskStore } from '../../src/domain/task-store.js';
import { InvalidCursorError } from '../../src/store/cursor.js';

/**
 * What every TaskStore must do, run against the in-memory fake and the DynamoDB adapter alike so the fake
 * stays honest. Each test works under its own fresh owner, so one store serves the whole suite.
 */
export function describeTaskStoreContract(name: string, makeStore: () => Promise<TaskStore> | TaskStore) {
  describe(`${name} honours the TaskStore contract`, () => {
    let store: TaskStore;
    const owner = () => defaultListOf(`owner-${randomUUID()}`);
    const task = (title = 'a task', status: TaskStatus = 'PENDING'): Task =>
      newTask({ title, description: '', status }, uuidv7(), new Date());

    async function seed(
      ownerId: ListRef,
      count: number,
      statusOf: (i: number) => TaskStatus = () => 'PENDING',
    ) {
      const tasks = Array.from({ length: count }, (_, i) => task(`task ${i}`, statusOf(i)));
      for (let i = 0; i < tasks.length; i += 10)
        await Promise.all(tasks.slice(i, i + 10).map((t) => store.create(ownerId, t)));
      return tasks;
    }

    async function listAll(ownerId: ListRef, query: Omit<ListQuery, 'cursor'>) {
      const pages: Task[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(ownerId, { ...query, ...(cursor && { cursor }) });
        pages.push([...page.items]);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 100);
      return pages;
    }

    async function firstCursor(ownerId: ListRef, query: Omit<ListQuery, 'cursor'> = { limit: 1 }) {
      const page = await store.list(ownerId, query);
      if (!page.nextCursor) throw new Error('expected a next page');
      return page.nextCursor;
    }

    beforeAll(async () => {
      store = await makeStore();
    });

    describe('create and get', () => {
      it('returns the created task and reads it back unchanged', async () => {
        const ownerId = owner();
        const original = task('write tests', 'IN_PROGRESS');
        const created = await store.create(ownerId, original);
        expect(created).toEqual(original);
        expect(await store.get(ownerId, original.taskId)).toEqual(original);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store.get(owner(), uuidv7())).toBeUndefined();
      });

      it("returns undefined for another owner's task", async () => {
        const alice = owner();
        const t = await store.create(alice, task());
        expect(await store.get(owner(), t.taskId)).toBeUndefined();
      });

      it('never overwrites an existing task', async () => {
        const ownerId = owner();
        const original = await store.create(ownerId, task('first'));
        await expect(store.create(ownerId, { ...original, title: 'second' })).rejects.toBeInstanceOf(
          TaskExistsError,
        );
        expect((await store.get(ownerId, original.taskId))?.title).toBe('first');
      });
    });

    describe('update', () => {
      it('sets the given fields, bumps the version and keeps the rest', async () => {
        const ownerId = owner();
        const original = await store.create(ownerId, { ...task('t'), description: 'keep me' });
        const at = new Date(Date.now() + 1000);
        const updated = await store.update(ownerId, original.taskId, planTaskChange({ status: 'DONE' }, at));
        expect(updated).toEqual({
          ...original,
          status: 'DONE',
          updatedAt: at.toISOString(),
          completedAt: at.toISOString(),
          version: original.version + 1,
        });
        expect(await store.get(ownerId, original.taskId)).toEqual(updated);
      });

      it('throws TaskNotFoundError for an unknown id', async () => {
        const change = planTaskChange({ title: 'x' }, new Date());
        await expect(store.update(owner(), uuidv7(), change)).rejects.toBeInstanceOf(TaskNotFoundError);
      });

      it("throws TaskNotFoundError for another owner's task and leaves it unchanged", async () => {
        const alice = owner();
        const original = await store.create(alice, task('mine'));
        const change = planTaskChange({ title: 'stolen' }, new Date());
        await expect(store.update(owner(), original.taskId, change)).rejects.toBeInstanceOf(
          TaskNotFoundError,
        );
        expect(await store.get(alice, original.taskId)).toEqual(original);
      });

      it('does not create a task when the id is unknown', async () => {
        const ownerId = owner();
        const id = uuidv7();
        await store.update(ownerId, id, planTaskChange({ title: 'x' }, new Date())).catch(() => undefined);
        expect(await store.get(ownerId, id)).toBeUndefined();
      });

      it('moves a task between status filters when its status changes', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task('t', 'PENDING'));
        await store.update(ownerId, t.taskId, planTaskChange({ status: 'DONE' }, new Date()));
        const pending = await store.list(ownerId, { limit: 10, status: 'PENDING' });
        const done = await store.list(ownerId, { limit: 10, status: 'DONE' });
        expect(pending.items).toEqual([]);
        expect(done.items.map((x) => x.taskId)).toEqual([t.taskId]);
      });
    });

    describe('delete', () => {
      it('removes the task', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        await store.delete(ownerId, t.taskId);
        expect(await store.get(ownerId, t.taskId)).toBeUndefined();
      });

      it('throws TaskNotFoundError the second time', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        await store.delete(ownerId, t.taskId);
        await expect(store.delete(ownerId, t.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
      });

      it("throws TaskNotFoundError for another owner's task and keeps it", async () => {
        const alice = owner();
        const t = await store.create(alice, task());
        await expect(store.delete(owner(), t.taskId)).rejects.toBeInstanceOf(TaskNotFoundError);
        expect(await store.get(alice, t.taskId)).toEqual(t);
      });
    });

    describe('conditional writes (If-Match, If-None-Match)', () => {
      const change = () => planTaskChange({ title: 'changed' }, new Date());

      it('updates when the stored version is among versionIn', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        const updated = await store.update(ownerId, t.taskId, change(), { versionIn: [7, t.version] });
        expect(updated.version).toBe(t.version + 1);
      });

      it('refuses a stale version with PreconditionFailedError carrying the current version', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        await store.update(ownerId, t.taskId, change());
        const error = await store
          .update(ownerId, t.taskId, change(), { versionIn: [t.version] })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PreconditionFailedError);
        expect((error as PreconditionFailedError).currentVersion).toBe(t.version + 1);
        expect((await store.get(ownerId, t.taskId))?.version).toBe(t.version + 1);
      });

      it('refuses an empty versionIn without writing', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        await expect(store.update(ownerId, t.taskId, change(), { versionIn: [] })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        await expect(store.delete(ownerId, t.taskId, { versionIn: [] })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        expect(await store.get(ownerId, t.taskId)).toEqual(t);
      });

      it('says TaskNotFoundError, not a precondition failure, for a missing task', async () => {
        await expect(store.update(owner(), uuidv7(), change(), { versionIn: [1] })).rejects.toBeInstanceOf(
          TaskNotFoundError,
        );
        await expect(store.delete(owner(), uuidv7(), { versionIn: [1] })).rejects.toBeInstanceOf(
          TaskNotFoundError,
        );
      });

      it('deletes only at a matching version', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        await expect(store.delete(ownerId, t.taskId, { versionIn: [t.version + 1] })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        expect(await store.get(ownerId, t.taskId)).toEqual(t);
        await store.delete(ownerId, t.taskId, { versionIn: [t.version] });
        expect(await store.get(ownerId, t.taskId)).toBeUndefined();
      });

      it('refuses a write while the stored version is among versionNotIn (If-None-Match), changing nothing', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        const error = await store
          .update(ownerId, t.taskId, change(), { versionNotIn: [9, t.version] })
          .catch((e: unknown) => e);
        expect((error as PreconditionFailedError).currentVersion).toBe(t.version);
        await expect(store.delete(ownerId, t.taskId, { versionNotIn: [t.version] })).rejects.toBeInstanceOf(
          PreconditionFailedError,
        );
        expect(await store.get(ownerId, t.taskId)).toEqual(t);
      });

      it('writes while the stored version is in versionIn and not in versionNotIn', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        const condition = { versionIn: [t.version], versionNotIn: [t.version + 1] };
        expect((await store.update(ownerId, t.taskId, change(), condition)).version).toBe(t.version + 1);
        await store.delete(ownerId, t.taskId, { versionNotIn: [t.version] });
        expect(await store.get(ownerId, t.taskId)).toBeUndefined();
      });

      it('says TaskNotFoundError for a missing task whatever versionNotIn says', async () => {
        await expect(store.delete(owner(), uuidv7(), { versionNotIn: [1] })).rejects.toBeInstanceOf(
          TaskNotFoundError,
        );
      });

      it('lets exactly one of several writers holding the same version win', async () => {
        const ownerId = owner();
        const t = await store.create(ownerId, task());
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            store.update(ownerId, t.taskId, planTaskChange({ title: `w${i}` }, new Date()), {
              versionIn: [t.version],
            }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter(
          (o) => o.status === 'rejected' && o.reason instanceof PreconditionFailedError,
        );
        expect([won.length, lost.length]).toEqual([1, 7]);
        expect((await store.get(ownerId, t.taskId))?.version).toBe(t.version + 1);
      });
    });

    describe('list', () => {
      it('returns an empty page without a cursor for an owner with no tasks', async () => {
        expect(await store.list(owner(), { limit: 10 })).toEqual({ items: [] });
      });

      it('pages through 53 tasks by 10 in creation order with no duplicates or gaps', async () => {
        const ownerId = owner();
        const tasks = await seed(ownerId, 53);
        const pages = await listAll(ownerId, { limit: 10 });
        expect(pages.map((page) => page.length)).toEqual([10, 10, 10, 10, 10, 3]);
        expect(pages.flat()).toEqual(tasks);
      });

      it('offers no next cursor when the last page is exactly full', async () => {
        const ownerId = owner();
        await seed(ownerId, 20);
        const pages = await listAll(ownerId, { limit: 10 });
        expect(pages.map((page) => page.length)).toEqual([10, 10]);
      });

      it('pages through a status filter with full pages and only matching tasks', async () => {
        const ownerId = owner();
        const tasks = await seed(ownerId, 30, (i) => (i % 3 === 0 ? 'DONE' : 'PENDING'));
        const pages = await listAll(ownerId, { limit: 4, status: 'DONE' });
        expect(pages.map((page) => page.length)).toEqual([4, 4, 2]);
        expect(pages.flat()).toEqual(tasks.filter((t) => t.status === 'DONE'));
      });

      it("never lists another owner's tasks", async () => {
        const alice = owner();
        const bob = owner();
        await seed(alice, 3);
        const bobs = await seed(bob, 2);
        expect((await store.list(bob, { limit: 100 })).items).toEqual(bobs);
      });

      it('refuses a tampered cursor with InvalidCursorError', async () => {
        const ownerId = owner();
        await seed(ownerId, 3);
        const cursor = await firstCursor(ownerId);
        const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString());
        payload.p.sk = uuidv7();
        const tampered = Buffer.from(JSON.stringify(payload)).toString('base64url');
        await expect(store.list(ownerId, { limit: 1, cursor: tampered })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });

      it.each([
        ['garbage', 'not a cursor!'],
        ['empty base64', 'e30'],
        ['too long', 'a'.repeat(2000)],
      ])('refuses a %s cursor with InvalidCursorError', async (_kind, cursor) => {
        await expect(store.list(owner(), { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it("refuses another owner's cursor with InvalidCursorError", async () => {
        const alice = owner();
        await seed(alice, 3);
        const cursor = await firstCursor(alice);
        await expect(store.list(owner(), { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('refuses a cursor minted for another status filter with InvalidCursorError', async () => {
        const ownerId = owner();
        await seed(ownerId, 3);
        const cursor = await firstCursor(ownerId, { limit: 1, status: 'PENDING' });
        await expect(store.list(ownerId, { limit: 1, cursor, status: 'DONE' })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
        await expect(store.list(ownerId, { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('accepts its own cursor with a different page size', async () => {
        const ownerId = owner();
        const tasks = await seed(ownerId, 5);
        const cursor = await firstCursor(ownerId, { limit: 2 });
        const page = await store.list(ownerId, { limit: 10, cursor });
        expect(page.items).toEqual(tasks.slice(2));
      });
    });

    describe('list with filters and sorts', () => {
      const DUES = [
        '2026-03-01',
        undefined,
        '2026-01-15T10:00:00+02:00',
        '2026-02-01',
        undefined,
        '2026-01-15',
      ];
      const STATUSES: TaskStatus[] = ['PENDING', 'DONE', 'PENDING', 'DONE', 'PENDING', 'IN_PROGRESS'];
      const TAGS = [['work'], ['home', 'work'], [], ['a', 'b', 'c', 'd', 'work'], ['home'], ['work', 'x']];

      /** Six varied tasks per owner, created one millisecond apart. */
      async function seedVaried(ownerId: ListRef): Promise<Task[]> {
        const tasks: Task[] = [];
        for (const [i, dueDate] of DUES.entries()) {
          const input = {
            title: `t${i}`,
            description: '',
            status: STATUSES[i] ?? 'PENDING',
            tags: TAGS[i] ?? [],
          };
          const t = newTask(
            { ...input, ...(dueDate && { dueDate }) },
            uuidv7(),
            new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)),
          );
          tasks.push(await store.create(ownerId, t));
        }
        return tasks;
      }

      /** The reference order of a due-date sort: by instant, ties by id, undated last. */
      const byDue = (a: Task, b: Task) => {
        const key = (t: Task) =>
          `${t.dueDate ? new Date(t.dueDate.length === 10 ? `${t.dueDate}T00:00:00Z` : t.dueDate).toISOString() : '~'}#${t.taskId}`;
        return key(a) < key(b) ? -1 : 1;
      };
      const ids = (tasks: readonly Task[]) => tasks.map((t) => t.title);

      it('pages through sort=dueDate in due order, undated tasks last, and reverses with order=desc', async () => {
        const ownerId = owner();
        const tasks = await seedVaried(ownerId);
        const expected = [...tasks].sort(byDue);
        const asc = await listAll(ownerId, { limit: 4, sort: 'dueDate' });
        // The undated tail may page short (docs/api.md): what holds is the order and the page size bound.
        expect(asc[0]).toHaveLength(4);
        expect(asc.every((page) => page.length <= 4)).toBe(true);
        expect(ids(asc.flat())).toEqual(ids(expected));
        const desc = await listAll(ownerId, { limit: 4, sort: 'dueDate', order: 'desc' });
        expect(ids(desc.flat())).toEqual(ids(expected.reverse()));
      });

      it('applies dueAfter inclusively and dueBefore exclusively, together with status', async () => {
        const ownerId = owner();
        await seedVaried(ownerId);
        const after = '2026-01-15T00:00:00.000Z';
        const pages = await listAll(ownerId, {
          limit: 1,
          sort: 'dueDate',
          dueAfter: after,
          dueBefore: '2026-03-01T00:00:00.000Z',
        });
        expect(ids(pages.flat())).toEqual(['t5', 't2', 't3']);
        const done = await listAll(ownerId, { limit: 1, sort: 'dueDate', status: 'DONE', dueAfter: after });
        expect(ids(done.flat())).toEqual(['t3']);
        const before = await listAll(ownerId, {
          limit: 2,
          sort: 'dueDate',
          order: 'desc',
          dueBefore: '2026-02-01T00:00:00.000Z',
        });
        expect(ids(before.flat())).toEqual(['t2', 't5']);
      });

      it('lists a tag in creation order whichever slot holds it, both ways, a page at a time', async () => {
        const ownerId = owner();
        await seedVaried(ownerId);
        expect(ids((await listAll(ownerId, { limit: 1, tag: 'work' })).flat())).toEqual([
          't0',
          't1',
          't3',
          't5',
        ]);
        const desc = await listAll(ownerId, { limit: 3, tag: 'work', order: 'desc' });
        expect(desc.map(ids)).toEqual([['t5', 't3', 't1'], ['t0']]);
        expect(ids((await listAll(ownerId, { limit: 5, tag: 'nothing' })).flat())).toEqual([]);
      });

      it('orders by updatedAt, so an updated task moves to the end', async () => {
        const ownerId = owner();
        const tasks = await seedVaried(ownerId);
        const first = tasks[0] as Task;
        await store.update(
          ownerId,
          first.taskId,
          planTaskChange({ title: 't0' }, new Date(Date.UTC(2026, 0, 2))),
        );
        const pages = await listAll(ownerId, { limit: 4, sort: 'updatedAt' });
        expect(ids(pages.flat())).toEqual(['t1', 't2', 't3', 't4', 't5', 't0']);
        const byStatus = await listAll(ownerId, {
          limit: 1,
          sort: 'updatedAt',
          status: 'PENDING',
          order: 'desc',
        });
        expect(ids(byStatus.flat())).toEqual(['t0', 't4', 't2']);
      });

      it('follows due date and tag changes: removed or replaced values leave their lists', async () => {
        const ownerId = owner();
        const tasks = await seedVaried(ownerId);
        const [t0, t1] = tasks as [Task, Task];
        await store.update(ownerId, t0.taskId, planTaskChange({ dueDate: null, tags: ['home'] }, new Date()));
        await store.update(
          ownerId,
          t1.taskId,
          planTaskChange({ dueDate: '2026-01-01', tags: [] }, new Date()),
        );
        const dated = await listAll(ownerId, {
          limit: 10,
          sort: 'dueDate',
          dueBefore: '9999-01-01T00:00:00.000Z',
        });
        expect(ids(dated.flat())).toEqual(['t1', 't5', 't2', 't3']);
        expect(ids((await listAll(ownerId, { limit: 10, tag: 'work' })).flat())).toEqual(['t3', 't5']);
        expect(ids((await listAll(ownerId, { limit: 10, tag: 'home' })).flat())).toEqual(['t0', 't4']);
        expect((await store.get(ownerId, t0.taskId))?.dueDate).toBeUndefined();
      });

      it('refuses a cursor minted for another sort or order', async () => {
        const ownerId = owner();
        await seedVaried(ownerId);
        const cursor = await firstCursor(ownerId, { limit: 1, sort: 'dueDate' });
        await expect(store.list(ownerId, { limit: 1, cursor, sort: 'updatedAt' })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
        await expect(
          store.list(ownerId, { limit: 1, cursor, sort: 'dueDate', order: 'desc' }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('refuses a combination no index serves with a ValidationError', async () => {
        await expect(store.list(owner(), { limit: 1, tag: 'x', status: 'DONE' })).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(
          store.list(owner(), { limit: 1, dueBefore: '2026-01-01T00:00:00.000Z' }),
        ).rejects.toBeInstanceOf(ValidationError);
      });
    });
  });
}
