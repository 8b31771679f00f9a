import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AmountCounter } from '../../src/domain/amount-counter.js';
import { defaultListOf } from '../../src/domain/task-list.js';

/** What every AmountCounter does: counts apart per list and per parent, and claims exactly under a cap. */
export function describeAmountCounterContract(
  name: string,
  make: () => Promise<AmountCounter> | AmountCounter,
) {
  describe(`${name} honours the AmountCounter contract`, () => {
    let counts: AmountCounter;
    beforeAll(async () => {
      counts = await make();
    });
    const list = () => defaultListOf(`p-${randomUUID()}`);

    it('reads 0 before any count, and adds and takes off', async () => {
      const key = { list: list() };
      expect(await counts.read(key)).toBe(0);
      await counts.add(key, 16);
      await counts.add(key, -1);
      expect(await counts.read(key)).toBe(15);
    });

    it('keeps a list’s tasks apart from each parent’s subtasks', async () => {
      const one = list();
      await counts.add({ list: one, parentId: 'a' }, 2);
      expect(await counts.read({ list: one })).toBe(0);
      expect(await counts.read({ list: one, parentId: 'b' })).toBe(0);
      expect(await counts.read({ list: one, parentId: 'a' })).toBe(2);
      expect(await counts.read({ list: { listId: randomUUID() }, parentId: 'a' })).toBe(0);
    });

    it('claims one under the cap, and at the cap changes nothing and says the count', async () => {
      const key = { list: list() };
      const claims = await Promise.all(Array.from({ length: 6 }, () => counts.claim(key, 4)));
      expect(claims.filter((claim) => claim.ok)).toHaveLength(4);
      expect(claims.find((claim) => !claim.ok)).toEqual({ ok: false, count: 4 });
      expect(await counts.read(key)).toBe(4);
    });
  });
}
