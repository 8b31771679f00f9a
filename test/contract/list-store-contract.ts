import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { OwnerMembershipError, PreconditionFailedError, TaskNotFoundError } from '../../src/domain/errors.js';
import type { ListStore } from '../../src/domain/list-store.js';
import { DEFAULT_LIST_ID, DEFAULT_LIST_TITLE, newTaskList } from '../../src/domain/task-list.js';

/** What every ListStore does: lists, their memberships and roles, a principal's page of lists. */
export function describeListStoreContract(name: string, makeStore: () => Promise<ListStore> | ListStore) {
  describe(`${name} honours the ListStore contract`, () => {
    let store: ListStore;
    beforeAll(async () => {
      store = await makeStore();
    });
    const principal = () => `p-${randomUUID()}`;
    const T0 = new Date('2026-06-01T00:00:00Z');
    const create = (ownerId: string, title = 'Groceries') =>
      store.create(ownerId, newTaskList({ title }, uuidv7(), T0));

    it('makes a list its creator owns, and no one else can see', async () => {
      const alice = principal();
      const list = await create(alice);
      expect(list).toMatchObject({ title: 'Groceries', version: 1, role: 'owner', memberCount: 1 });
      expect(await store.roleOf(alice, list.listId)).toBe('owner');
      expect(await store.get(alice, list.listId)).toEqual(list);
      expect(await store.roleOf(principal(), list.listId)).toBeUndefined();
      expect(await store.get(principal(), list.listId)).toBeUndefined();
    });

    it('pages a principal’s lists in creation order', async () => {
      const alice = principal();
      const made = [];
      for (const title of ['one', 'two', 'three']) made.push(await create(alice, title));
      await create(principal(), 'not hers');
      const first = await store.page(alice, { limit: 2 });
      expect(first.items.map((l) => l.title)).toEqual(['one', 'two']);
      const rest = await store.page(alice, { limit: 2, cursor: first.nextCursor ?? '' });
      expect(rest.items.map((l) => l.title)).toEqual(['three']);
      expect(rest.nextCursor).toBeUndefined();
    });

    it('keeps one default list per principal, made on first sight', async () => {
      const alice = principal();
      const first = await store.defaultList(alice, T0);
      const again = await store.defaultList(alice, new Date('2026-06-02T00:00:00Z'));
      expect(first).toMatchObject({ listId: DEFAULT_LIST_ID, title: DEFAULT_LIST_TITLE, role: 'owner' });
      expect(again).toEqual(first);
      expect((await store.page(alice, { limit: 10 })).items).toEqual([]);
    });

    it('renames under a condition, and says the current version when it does not hold', async () => {
      const alice = principal();
      const list = await create(alice);
      const at = new Date('2026-06-03T00:00:00Z');
      const renamed = await store.rename(alice, list.listId, 'Food', at, { versionIn: [1] });
      expect(renamed).toMatchObject({ title: 'Food', version: 2, updatedAt: at.toISOString() });
      const stale = store.rename(alice, list.listId, 'Drinks', at, { versionIn: [1] });
      await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
      await store.defaultList(alice, T0);
      expect(await store.rename(alice, DEFAULT_LIST_ID, 'Inbox', at)).toMatchObject({ title: 'Inbox' });
    });

    it('deletes a list: no one reaches it any more, and it leaves the page', async () => {
      const alice = principal();
      const list = await create(alice);
      await store.delete(list.listId, new Date('2026-06-04T00:00:00Z'));
      expect(await store.roleOf(alice, list.listId)).toBeUndefined();
      expect(await store.get(alice, list.listId)).toBeUndefined();
      expect((await store.page(alice, { limit: 10 })).items).toEqual([]);
      await expect(store.delete(list.listId, T0)).rejects.toBeInstanceOf(TaskNotFoundError);
      await expect(store.rename(alice, list.listId, 'x', T0)).rejects.toBeInstanceOf(TaskNotFoundError);
    });
    it('shares a list: a member sees it with its role, and the list counts it', async () => {
      const [alice, bob, carol] = [principal(), principal(), principal()];
      const list = await create(alice);
      expect(await store.setMember(list.listId, bob, 'editor', T0)).toEqual({
        member: { principalId: bob, role: 'editor' },
        added: true,
      });
      expect((await store.setMember(list.listId, carol, 'viewer', T0)).added).toBe(true);
      expect(await store.roleOf(bob, list.listId)).toBe('editor');
      expect(await store.roleOf(carol, list.listId)).toBe('viewer');
      expect(await store.get(bob, list.listId)).toMatchObject({ role: 'editor', memberCount: 3 });
      expect((await store.page(carol, { limit: 10 })).items).toEqual([
        expect.objectContaining({ listId: list.listId, role: 'viewer', memberCount: 3 }),
      ]);
    });

    it('changes a role without counting the member twice', async () => {
      const [alice, bob] = [principal(), principal()];
      const list = await create(alice);
      await store.setMember(list.listId, bob, 'viewer', T0);
      expect((await store.setMember(list.listId, bob, 'editor', T0)).added).toBe(false);
      expect(await store.roleOf(bob, list.listId)).toBe('editor');
      expect(await store.get(alice, list.listId)).toMatchObject({ memberCount: 2 });
    });

    it('never changes the owner’s role', async () => {
      const alice = principal();
      const list = await create(alice);
      await expect(store.setMember(list.listId, alice, 'viewer', T0)).rejects.toBeInstanceOf(
        OwnerMembershipError,
      );
      expect(await store.roleOf(alice, list.listId)).toBe('owner');
    });

    it('pages the members, owner included, in principal id order', async () => {
      const alice = `p-a-${randomUUID()}`;
      const list = await create(alice);
      const others = [`p-b-${randomUUID()}`, `p-c-${randomUUID()}`, `p-d-${randomUUID()}`];
      for (const other of others) await store.setMember(list.listId, other, 'viewer', T0);
      await store.removeMember(list.listId, others[1] ?? '', T0);
      const first = await store.members(list.listId, { limit: 2 });
      expect(first.items).toEqual([
        { principalId: alice, role: 'owner' },
        { principalId: others[0], role: 'viewer' },
      ]);
      const rest = await store.members(list.listId, { limit: 2, cursor: first.nextCursor ?? '' });
      expect(rest.items).toEqual([{ principalId: others[2], role: 'viewer' }]);
      expect(rest.nextCursor).toBeUndefined();
    });

    it('removes a member at once: its very next read finds nothing, and the count drops', async () => {
      const [alice, bob] = [principal(), principal()];
      const list = await create(alice);
      await store.setMember(list.listId, bob, 'editor', T0);
      expect(await store.removeMember(list.listId, bob, T0)).toBe(true);
      expect(await store.roleOf(bob, list.listId)).toBeUndefined();
      expect(await store.get(bob, list.listId)).toBeUndefined();
      expect((await store.page(bob, { limit: 10 })).items).toEqual([]);
      expect(await store.get(alice, list.listId)).toMatchObject({ memberCount: 1 });
      expect(await store.removeMember(list.listId, bob, T0)).toBe(false);
      expect(await store.removeMember(list.listId, alice, T0)).toBe(false);
      expect(await store.roleOf(alice, list.listId)).toBe('owner');
    });

    it('re-adds a removed member as new', async () => {
      const [alice, bob] = [principal(), principal()];
      const list = await create(alice);
      await store.setMember(list.listId, bob, 'editor', T0);
      await store.removeMember(list.listId, bob, T0);
      expect((await store.setMember(list.listId, bob, 'viewer', T0)).added).toBe(true);
      expect(await store.get(bob, list.listId)).toMatchObject({ role: 'viewer', memberCount: 2 });
    });

    it('removes no one when a delete’s precondition fails', async () => {
      const [alice, bob] = [principal(), principal()];
      const list = await create(alice);
      await store.setMember(list.listId, bob, 'viewer', T0);
      await expect(store.delete(list.listId, T0, { versionIn: [9] })).rejects.toBeInstanceOf(
        PreconditionFailedError,
      );
      expect(await store.roleOf(bob, list.listId)).toBe('viewer');
      expect(await store.roleOf(alice, list.listId)).toBe('owner');
    });

    it('deletes a shared list: every member loses it', async () => {
      const [alice, bob, carol] = [principal(), principal(), principal()];
      const list = await create(alice);
      await store.setMember(list.listId, bob, 'editor', T0);
      await store.setMember(list.listId, carol, 'viewer', T0);
      await store.delete(list.listId, T0);
      for (const who of [alice, bob, carol]) {
        expect(await store.roleOf(who, list.listId)).toBeUndefined();
        expect((await store.page(who, { limit: 10 })).items).toEqual([]);
      }
      expect((await store.members(list.listId, { limit: 10 })).items).toEqual([]);
    });

    it('lets no membership stand on a deleted list', async () => {
      const [alice, bob] = [principal(), principal()];
      const list = await create(alice);
      await store.delete(list.listId, T0);
      await expect(store.setMember(list.listId, bob, 'editor', T0)).rejects.toBeInstanceOf(TaskNotFoundError);
      expect(await store.roleOf(bob, list.listId)).toBeUndefined();
    });
    it('feeds a principal its lists changed since, and tombstones of lists it lost, oldest first', async () => {
      const [alice, bob] = [principal(), principal()];
      const at = (minute: number) => new Date(Date.UTC(2026, 5, 2, 0, minute));
      const window = { since: at(0).toISOString(), until: at(60).toISOString(), limit: 10 };
      const kept = await create(alice, 'kept');
      const left = await create(alice, 'left');
      const gone = await create(alice, 'gone');
      await store.setMember(kept.listId, bob, 'viewer', at(1));
      await store.setMember(left.listId, bob, 'editor', at(2));
      await store.setMember(gone.listId, bob, 'editor', at(3));
      await store.removeMember(left.listId, bob, at(4));
      await store.delete(gone.listId, at(5));
      await store.setMember(kept.listId, bob, 'editor', at(6));
      const feed = await store.changes(bob, window);
      expect(feed.items).toEqual([
        { listId: left.listId, deleted: true, updatedAt: at(4).toISOString() },
        { listId: gone.listId, deleted: true, updatedAt: at(5).toISOString() },
        expect.objectContaining({ listId: kept.listId, role: 'editor', updatedAt: at(6).toISOString() }),
      ]);
      const first = await store.changes(bob, { ...window, limit: 2 });
      expect(first.items).toHaveLength(2);
      const rest = await store.changes(bob, { ...window, limit: 2, cursor: first.nextCursor ?? '' });
      expect(rest.items).toEqual([feed.items[2]]);
      expect(rest.nextCursor).toBeUndefined();
      expect((await store.changes(bob, { ...window, since: at(6).toISOString() })).items).toHaveLength(1);
      expect((await store.changes(bob, { ...window, until: at(5).toISOString() })).items).toHaveLength(1);
      expect((await store.page(bob, { limit: 10 })).items.map((l) => l.listId)).toEqual([kept.listId]);
    });
  });
}
