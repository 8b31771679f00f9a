import { describe, expect, it } from 'vitest';
import { MemoryListStore } from '../store/memory-list-store.js';
import { ResyncRequiredError } from './errors.js';
import { makeListService } from './list-service.js';

describe('the lists feed (listLists with updatedSince)', () => {
  let clock = Date.parse('2026-06-01T00:00:00Z');
  let n = 0;
  const lists = makeListService({
    lists: new MemoryListStore(),
    purger: { listDeleted: () => undefined },
    now: () => new Date(clock),
    newId: () => `0190a8a4-0000-7000-9000-${String(++n).padStart(12, '0')}`,
    feedSettleMs: 1000,
  });
  const tick = () => {
    clock += 60_000;
  };

  it('gives a member its shared lists and a tombstone once it is removed, settled, and a 410 from too far back', async () => {
    const since = new Date(clock).toISOString();
    tick();
    const list = await lists.createList('alice', { title: 'Shared' });
    tick();
    await lists.setMember('alice', list.listId, 'bob', { role: 'viewer' });
    const unsettled = await lists.listLists('bob', { limit: 10, updatedSince: since });
    expect(unsettled.items).toEqual([]);
    tick();
    const shared = await lists.listLists('bob', { limit: 10, updatedSince: since });
    expect(shared.items).toEqual([expect.objectContaining({ listId: list.listId, role: 'viewer' })]);
    await lists.removeMember('alice', list.listId, 'bob');
    tick();
    const removed = await lists.listLists('bob', { limit: 10, updatedSince: since });
    expect(removed.items).toEqual([
      { listId: list.listId, deleted: true, updatedAt: new Date(clock - 60_000).toISOString() },
    ]);
    await expect(
      lists.listLists('bob', { limit: 10, updatedSince: '2020-01-01T00:00:00.000Z' }),
    ).rejects.toBeInstanceOf(ResyncRequiredError);
  });
});
