import { TaskNotFoundError } from '../domain/errors.js';
import type { Task, TaskChange } from '../domain/task.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ConditionFailedError, type DocumentOps, type Item } from './document-ops.js';
import { INDEXES, statusPartitionKey, TABLE_KEYS, taskPartitionKey } from './table-schema.js';
import type { ListQuery, TaskPage, TaskStore } from './task-store.js';

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

/** A failed `attribute_exists` condition means the task is not there (or belongs to someone else). */
function notFoundOnCondition(error: unknown): never {
  if (error instanceof ConditionFailedError) throw new TaskNotFoundError({ cause: error });
  throw error;
}

/**
 * The DynamoDB adapter of the `TaskStore` port. It speaks DynamoDB through `DocumentOps`, so the same key
 * design, conditions and paging run over whichever client is plugged in.
 */
export class DynamoTaskStore implements TaskStore {
  constructor(
    private readonly db: DocumentOps,
    private readonly tableName: string,
  ) {}

  async create(ownerId: string, task: Task): Promise<Task> {
    await this.db.put({
      TableName: this.tableName,
      Item: toItem(ownerId, task),
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
    });
    return task;
  }

  async get(ownerId: string, taskId: string): Promise<Task | undefined> {
    const item = await this.db.get({ TableName: this.tableName, Key: this.keyOf(ownerId, taskId) });
    return item ? fromItem(item) : undefined;
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
    const item = await this.db
      .update({
        TableName: this.tableName,
        Key: this.keyOf(ownerId, taskId),
        UpdateExpression: `SET ${assignments.join(', ')} ADD #version :one`,
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      })
      .catch(notFoundOnCondition);
    return fromItem(item);
  }

  async delete(ownerId: string, taskId: string): Promise<void> {
    await this.db
      .delete({
        TableName: this.tableName,
        Key: this.keyOf(ownerId, taskId),
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      })
      .catch(notFoundOnCondition);
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
    const { items: Items } = await this.db.query({
      TableName: this.tableName,
      ...(byStatus && { IndexName: INDEXES.byStatus.indexName }),
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': partition.name },
      ExpressionAttributeValues: { ':p': partition.value },
      Limit: query.limit + 1,
      ...(position && {
        ExclusiveStartKey: { ...position, [TABLE_KEYS.partitionKey]: pk, [partition.name]: partition.value },
      }),
    });
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
