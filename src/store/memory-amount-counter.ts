import type { AmountCounter, CounterKey } from '../domain/amount-counter.js';
import { amountKey } from './table-schema.js';

/** The counts of `domain/amount-counter.ts` in memory, with the DynamoDB adapter's rules. */
export class MemoryAmountCounter implements AmountCounter {
  private readonly amounts = new Map<string, number>();

  private id({ list, parentId }: CounterKey): string {
    const { pk, sk } = amountKey(list, parentId);
    return `${pk} ${sk}`;
  }

  async read(key: CounterKey): Promise<number> {
    return this.amounts.get(this.id(key)) ?? 0;
  }

  // No await between a read and its write: each change is atomic, as DynamoDB's are.
  async add(key: CounterKey, delta: number): Promise<void> {
    this.amounts.set(this.id(key), (this.amounts.get(this.id(key)) ?? 0) + delta);
  }

  async claim(key: CounterKey, cap: number) {
    const count = this.amounts.get(this.id(key)) ?? 0;
    if (count >= cap) return { ok: false as const, count };
    this.amounts.set(this.id(key), count + 1);
    return { ok: true as const };
  }
}
