import type { AmountCounter, CounterKey } from '../domain/amount-counter.js';
import type { Deadline } from '../domain/deadline.js';
import { ConditionFailedError, type DocumentOps } from './document-ops.js';
import { amountKey } from './table-schema.js';

/** The counts of `domain/amount-counter.ts` in the task table: one small item each (`amountKey`). */
export class DynamoAmountCounter implements AmountCounter {
  constructor(
    private readonly db: DocumentOps,
    private readonly tableName: string,
    private readonly deadline: Deadline,
  ) {}

  private key({ list, parentId }: CounterKey) {
    return amountKey(list, parentId);
  }

  async read(key: CounterKey): Promise<number> {
    // Strongly consistent, as every read here: a GetItem of an item under 4 KB, 1 RRU.
    const item = await this.db.get({ TableName: this.tableName, Key: this.key(key) }, this.deadline);
    return Number(item?.amount ?? 0);
  }

  async add(key: CounterKey, delta: number): Promise<void> {
    await this.db.update(
      {
        TableName: this.tableName,
        Key: this.key(key),
        UpdateExpression: 'ADD #amount :delta',
        ExpressionAttributeNames: { '#amount': 'amount' },
        ExpressionAttributeValues: { ':delta': delta },
      },
      this.deadline,
    );
  }

  async claim(key: CounterKey, cap: number) {
    return this.db
      .update(
        {
          TableName: this.tableName,
          Key: this.key(key),
          UpdateExpression: 'ADD #amount :one',
          ConditionExpression: 'attribute_not_exists(#amount) OR #amount < :cap',
          ExpressionAttributeNames: { '#amount': 'amount' },
          ExpressionAttributeValues: { ':one': 1, ':cap': cap },
        },
        this.deadline,
      )
      .then(
        () => ({ ok: true as const }),
        async (error: unknown) => {
          if (!(error instanceof ConditionFailedError)) throw error;
          return { ok: false as const, count: await this.read(key) };
        },
      );
  }
}
