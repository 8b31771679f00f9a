import { describe, expect, it } from 'vitest';
import { outlineKeyOf, placedOf, positionAt, positionBetween, topLevelOf } from './task-order.js';

const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('positions', () => {
  it('reads a new task’s position off the clock: later is greater, and every one is a valid key', () => {
    const times = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2040-06-01T12:00:00.000Z'];
    const keys = times.map((time) => positionAt(new Date(time)));
    expect([...keys].sort(byte)).toEqual(keys);
    for (const key of keys) {
      expect(key).toMatch(/^g[0-9A-Za-z]{7}$/);
      expect(positionBetween(key, undefined) > key).toBe(true);
      expect(positionBetween(undefined, key) < key).toBe(true);
    }
  });

  it('finds a key between two neighbours, and after both when they are equal (a tie)', () => {
    const [a, b] = [positionAt(new Date(1)), positionAt(new Date(2))];
    const mid = positionBetween(a, b);
    expect(a < mid && mid < b).toBe(true);
    expect(positionBetween(a, a) > a).toBe(true);
  });
});

describe('the outline key', () => {
  const parent = { taskId: '01a2512f-0000-7000-8000-000000000001', position: 'a1' };
  const next = { taskId: '01a2512f-0000-7000-8000-000000000002', position: 'a1V' };
  const child = { taskId: '01a2512f-0000-7000-8000-000000000003', position: 'Zz' };

  it('puts a parent, then its subtasks, then the next top-level task, byte-wise', () => {
    const keys = [outlineKeyOf(next), outlineKeyOf(child, parent), outlineKeyOf(parent)];
    expect(keys.sort(byte)).toEqual([outlineKeyOf(parent), outlineKeyOf(child, parent), outlineKeyOf(next)]);
  });

  it('orders equal positions by task id', () => {
    const twin = { ...parent, taskId: '01a2512f-0000-7000-8000-000000000000' };
    expect(outlineKeyOf(twin) < outlineKeyOf(parent)).toBe(true);
  });

  it('reads back a key’s own place and its top-level task', () => {
    const key = outlineKeyOf(child, parent);
    expect(placedOf(key)).toEqual(child);
    expect(topLevelOf(key)).toEqual(parent);
    expect(topLevelOf(outlineKeyOf(parent))).toEqual(parent);
  });
});
