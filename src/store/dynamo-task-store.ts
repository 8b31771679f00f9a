import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { StoreThrottledError, StoreUnavailableError, TaskNotFoundError } from '../domain/errors.js';
import type { Task, TaskChange } from '../domain/task.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { INDEXES, statusPartitionKey, TABLE_KEYS, taskPartitionKey } from './table-schema.js';
import type { ListQuery, TaskPage, TaskStore } from './task-store.js';

type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = new Set<string>([
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  INDEXES.byStatus.partitionKey,
]);

function toItem(ownerId: string, task: Task): Item {
  const { taskId, ...rest } = task;
  return {
    [TABLE_KEYS.partitionKey]: taskPartitionKey(ownerId),
    [TABLE_KEYS.sortKey]: taskId,
    [INDEXES.byStatus.partitionKey]: statusPartitionKey(ownerId, task.status),
    ...rest,
  };
}

function fromItem(item: Item): Task {
  const task: Item = { taskId: item[TABLE_KEYS.sortKey] };
  for (const [name, value] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(name)) task[name] = value;
  return task as unknown as Task;
}

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** Maps SDK failures onto the domain's error model; the original error is kept as `cause`. */
function translate(error: unknown): never {
  if (error instanceof Error) {
    if (THROTTLING_ERRORS.has(error.name)) throw new StoreThrottledError({ cause: error });
    const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
    const isServiceReply = metadata?.httpStatusCode !== undefined && metadata.httpStatusCode < 500;
    if (!isServiceReply) throw new StoreUnavailableError({ cause: error });
  }
  throw error;
}

export class DynamoTaskStore implements TaskStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(ownerId: string, task: Task): Promise<Task> {
    await this.client
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(ownerId, task),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      )
      .catch(translate);
    return task;
  }

  async get(ownerId: string, taskId: string): Promise<Task | undefined> {
    const { Item } = await this.client
      .send(new GetCommand({ TableName: this.tableName, Key: this.keyOf(ownerId, taskId) }))
      .catch(translate);
    return Item ? fromItem(Item) : undefined;
  }

  async update(ownerId: string, taskId: string, change: TaskChange): Promise<Task> {
    const names: Record<string, string> = { '#pk': TABLE_KEYS.partitionKey, '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1 };
    const assignments: string[] = [];
    const assign = (attribute: string, value: unknown) => {
      const i = assignments.length;
      names[`#a${i}`] = attribute;
      values[`:v${i}`] = value;
      assignments.push(`#a${i} = :v${i}`);
    };
    for (const [field, value] of Object.entries(change.set)) assign(field, value);
    if (change.set.status)
      assign(INDEXES.byStatus.partitionKey, statusPartitionKey(ownerId, change.set.status));
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.keyOf(ownerId, taskId),
          UpdateExpression: `SET ${assignments.join(', ')} ADD #version :one`,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new TaskNotFoundError({ cause: error });
      return translate(error);
    }
  }

  async delete(ownerId: string, taskId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: this.keyOf(ownerId, taskId),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new TaskNotFoundError({ cause: error });
      translate(error);
    }
  }

  async list(ownerId: string, query: ListQuery): Promise<TaskPage> {
    const pk = taskPartitionKey(ownerId);
    const binding = JSON.stringify([ownerId, query.status ?? null]);
    const position = query.cursor ? decodeCursor(binding, query.cursor, [TABLE_KEYS.sortKey]) : undefined;
    const byStatus = query.status !== undefined;
    const partition = byStatus
      ? { name: INDEXES.byStatus.partitionKey, value: statusPartitionKey(ownerId, query.status ?? '') }
      : { name: TABLE_KEYS.partitionKey, value: pk };
    // One item more than asked tells whether another page exists, so the last page never links onward.
    const { Items = [] } = await this.client
      .send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byStatus ? INDEXES.byStatus.indexName : undefined,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': partition.name },
          ExpressionAttributeValues: { ':p': partition.value },
          Limit: query.limit + 1,
          ExclusiveStartKey: position && {
            ...position,
            [TABLE_KEYS.partitionKey]: pk,
            [partition.name]: partition.value,
          },
        }),
      )
      .catch(translate);
    const items = Items.slice(0, query.limit).map(fromItem);
    const last = items.at(-1);
    return {
      items,
      ...(Items.length > query.limit &&
        last && { nextCursor: encodeCursor(binding, { [TABLE_KEYS.sortKey]: last.taskId }) }),
    };
  }

  private keyOf(ownerId: string, taskId: string) {
    return { [TABLE_KEYS.partitionKey]: taskPartitionKey(ownerId), [TABLE_KEYS.sortKey]: taskId };
  }
}
