import type { Deadline } from '../domain/deadline.js';
import type { IdempotencyRecord, IdempotencyStore } from '../domain/idempotency-store.js';
import type { Task } from '../domain/task.js';
import { ConditionFailedError, type DocumentOps, type Item } from './document-ops.js';
import { idempotencyPartitionKey, TABLE_KEYS, TTL_ATTRIBUTE } from './table-schema.js';

const NAMES = {
  '#pk': TABLE_KEYS.partitionKey,
  '#expires': TTL_ATTRIBUTE,
  '#state': 'state',
  '#lease': 'leaseUntil',
  '#taskId': 'taskId',
  '#task': 'task',
};

/** False when the write's condition did not hold; any other failure propagates. */
function heldCondition(error: unknown): false {
  if (error instanceof ConditionFailedError) return false;
  throw error;
}

/**
 * Idempotency records in the task table (`pk` = `I#<owner>`, `sk` = key), written through `DocumentOps`
 * with single-item conditions. Expiry is checked in code as well as by the table's TTL, which deletes
 * lazily (and does not exist on dynalite).
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DocumentOps,
    private readonly tableName: string,
    /** The request's deadline: every call this store makes shares it. */
    private readonly deadline: Deadline,
  ) {}

  async claim(ownerId: string, record: IdempotencyRecord, nowSeconds: number): Promise<boolean> {
    const { key, ...rest } = record;
    return this.db
      .put(
        {
          TableName: this.tableName,
          Item: { ...this.keyOf(ownerId, key), ...rest },
          ConditionExpression: 'attribute_not_exists(#pk) OR #expires <= :now',
          ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expires': NAMES['#expires'] },
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
        this.deadline,
      )
      .then(() => true, heldCondition);
  }

  async get(ownerId: string, key: string, nowSeconds: number): Promise<IdempotencyRecord | undefined> {
    const item = await this.db.get(
      { TableName: this.tableName, Key: this.keyOf(ownerId, key) },
      this.deadline,
    );
    if (!item || Number(item[TTL_ATTRIBUTE]) <= nowSeconds) return undefined;
    return {
      key,
      fingerprint: String(item.fingerprint),
      taskId: String(item.taskId),
      state: item.state === 'done' ? 'done' : 'pending',
      leaseUntil: Number(item.leaseUntil),
      expiresAt: Number(item[TTL_ATTRIBUTE]),
      ...(item.task !== undefined && { task: item.task as Task }),
    };
  }

  async takeOver(ownerId: string, key: string, from: number, to: number): Promise<boolean> {
    return this.db
      .update(
        {
          TableName: this.tableName,
          Key: this.keyOf(ownerId, key),
          UpdateExpression: 'SET #lease = :to',
          ConditionExpression: '#state = :pending AND #lease = :from',
          ExpressionAttributeNames: { '#lease': NAMES['#lease'], '#state': NAMES['#state'] },
          ExpressionAttributeValues: { ':to': to, ':from': from, ':pending': 'pending' },
        },
        this.deadline,
      )
      .then(() => true, heldCondition);
  }

  async complete(ownerId: string, record: IdempotencyRecord, task: Task): Promise<void> {
    await this.db
      .update(
        {
          TableName: this.tableName,
          Key: this.keyOf(ownerId, record.key),
          UpdateExpression: 'SET #state = :done, #task = :task',
          ConditionExpression: '#taskId = :taskId',
          ExpressionAttributeNames: {
            '#state': NAMES['#state'],
            '#task': NAMES['#task'],
            '#taskId': NAMES['#taskId'],
          },
          ExpressionAttributeValues: { ':done': 'done', ':task': task, ':taskId': record.taskId },
        },
        this.deadline,
      )
      .catch(heldCondition);
  }

  private keyOf(ownerId: string, key: string): Item {
    return { [TABLE_KEYS.partitionKey]: idempotencyPartitionKey(ownerId), [TABLE_KEYS.sortKey]: key };
  }
}
