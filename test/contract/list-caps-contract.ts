import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { LimitReachedError } from '../../src/domain/errors.js';
import { LIMITS, type Limits } from '../../src/domain/limits.js';
import type { ListStore } from '../../src/domain/list-store.js';
import { newTaskList } from '../../src/domain/task-list.js';

/** Small caps, so a test reaches them in a few writes. */
export const SMALL_LIST_LIMITS = { ...LIMITS, listsOwned: 2, memberships: 3, membersPerList: 3 };

/** The caps of lists (`domain/limits.ts`) on every ListStore: exact, and nothing stored past one. */
export function describeListCapsContract(
  name: string,
  makeStore: (limits: Limits) => Promise<ListStore> | ListStore,
) {
  describe(`${name} holds the caps of lists`, () => {
    let store: ListStore;
    beforeAll(async () => {
      store = await makeStore(SMALL_LIST_LIMITS);
    });
    const principal = () => `p-${randomUUID()}`;
    const T0 = new Date('2026-06-01T00:00:00Z');
    const create = (ownerId: string) => store.create(ownerId, newTaskList({ title: 'L' }, uuidv7(), T0));

    it('refuses a list past the lists a principal owns, and counts a deleted one off', async () => {
      const alice = principal();
      const first = await create(alice);
      await create(alice);
      const third = create(alice);
      await expect(third).rejects.toBeInstanceOf(LimitReachedError);
      await expect(third).rejects.toThrow('You own 2 lists, the most a principal may own');
      expect((await store.page(alice, { limit: 10 })).items).toHaveLength(2);
      await store.delete(first.listId, T0);
      await expect(create(alice)).resolves.toMatchObject({ role: 'owner' });
    });

    it('refuses a member past the members of a list; nothing is stored, and a removal makes room', async () => {
      const alice = principal();
      const list = await create(alice);
      const [bob, carol, dave] = [principal(), principal(), principal()];
      await store.setMember(list.listId, bob, 'editor', T0);
      await store.setMember(list.listId, carol, 'viewer', T0);
      const past = store.setMember(list.listId, dave, 'viewer', T0);
      await expect(past).rejects.toBeInstanceOf(LimitReachedError);
      await expect(past).rejects.toThrow('This list has 3 members, the most a list may have');
      expect(await store.roleOf(dave, list.listId)).toBeUndefined();
      expect(await store.get(alice, list.listId)).toMatchObject({ memberCount: 3 });
      // A role change of a member is no new member.
      await expect(store.setMember(list.listId, carol, 'editor', T0)).resolves.toMatchObject({
        added: false,
      });
      await store.removeMember(list.listId, bob, T0);
      await expect(store.setMember(list.listId, dave, 'viewer', T0)).resolves.toMatchObject({ added: true });
    });

    it('refuses a membership past the lists a principal is a member of, owned ones counted', async () => {
      const bob = principal();
      await create(bob);
      const lists = [await create(principal()), await create(principal()), await create(principal())];
      const [one, two, three] = lists.map((list) => list.listId) as [string, string, string];
      await store.setMember(one, bob, 'viewer', T0);
      await store.setMember(two, bob, 'viewer', T0);
      const past = store.setMember(three, bob, 'viewer', T0);
      await expect(past).rejects.toBeInstanceOf(LimitReachedError);
      await expect(past).rejects.toThrow(
        'You are a member of 3 lists, the most a principal may be a member of',
      );
      expect(await store.roleOf(bob, three)).toBeUndefined();
      const owner = await store.members(three, { limit: 10 });
      expect(owner.items).toHaveLength(1);
      await store.removeMember(one, bob, T0);
      await expect(store.setMember(three, bob, 'viewer', T0)).resolves.toMatchObject({ added: true });
    });
  });
}
