import { describe, expect, it } from 'vitest';
import { positionAt } from '../domain/task-order.js';
import { upgradeItem } from './upgrade.js';

const ID = '01a2512f-684a-7489-9205-eb230c1d0c48';
/** A task as the version before lists stored it (test/fixtures/data-before-lists has real ones). */
const before = {
  pk: 'T#alice',
  sk: ID,
  statusKey: 'T#alice#PENDING',
  feedKey: 'T#alice#PENDING',
  dueKey: `~#${ID}`,
  updatedKey: `2026-12-07T15:46:31.115Z#${ID}`,
  title: 'alice 1',
  description: '',
  status: 'PENDING',
  priority: 'MEDIUM',
  tags: [],
  createdAt: '2026-12-07T15:46:31.115Z',
  updatedAt: '2026-12-07T15:46:31.115Z',
  version: 1,
};

describe('upgradeItem', () => {
  it('places a task from before lists by its creation, and takes an undated one out of the due index', () => {
    const upgraded = upgradeItem(before);
    expect(upgraded).toMatchObject({
      pk: 'T#alice',
      position: positionAt(new Date(before.createdAt)),
      positionKey: `${positionAt(new Date(before.createdAt))}#${ID}`,
      statusKey: 'T#alice#PENDING',
    });
    expect(upgraded).not.toHaveProperty('dueKey');
    expect(upgraded).not.toHaveProperty('listId');
  });

  it('leaves alone what is in today’s shape: upgraded tasks, tombstones, list items', () => {
    const upgraded = upgradeItem(before);
    expect(upgradeItem(upgraded)).toEqual(upgraded);
    const tombstone = { pk: 'T#alice', sk: ID, deleted: true, updatedAt: before.updatedAt, expiresAt: 1 };
    expect(upgradeItem(tombstone)).toBe(tombstone);
    const list = { pk: 'T#alice', sk: '#list', title: 'My Tasks', createdAt: before.createdAt };
    expect(upgradeItem(list)).toBe(list);
  });
});
