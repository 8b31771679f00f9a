import { TaskNotFoundError } from '../domain/errors.js';
import type { Task, TaskChange } from '../domain/task.js';
import { ConditionFailedError, type DocumentOps } from './document-ops.js';
import { listTasks } from './dynamo-list.js';
import { TABLE_KEYS, taskPartitionKey } from './table-schema.js';
import { fromItem, indexKeyChanges, toItem } from './task-item.js';
import type { ListQuery, TaskPage, TaskStore } from './task-store.js';

/** A failed `attribute_exists` condition means the task is not there (or belongs to someone else). */
function notFoundOnCondition(error: unknown): never {
  if (error instanceof ConditionFailedError) throw new TaskNotFoundError({ cause: error });
  throw error;
}

/** Builds one UpdateExpression from a change: fields and index keys set, set-if-absent, removed. */
function updateExpressionOf(ownerId: string, taskId: string, change: TaskChange) {
  const names: Record<string, string> = { '#pk': TABLE_KEYS.partitionKey, '#version': 'version' };
  const values: Record<string, unknown> = { ':one': 1 };
  const name = (attribute: string) => {
    const placeholder = `#a${Object.keys(names).length}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (v: unknown) => {
    const placeholder = `:v${Object.keys(values).length}`;
    values[placeholder] = v;
    return placeholder;
  };
  const keys = indexKeyChanges(ownerId, taskId, change);
  const sets = Object.entries({ ...change.set, ...keys.set }).map(([f, v]) => `${name(f)} = ${value(v)}`);
  for (const [field, v] of Object.entries(change.setIfAbsent)) {
    const n = name(field);
    sets.push(`${n} = if_not_exists(${n}, ${value(v)})`);
  }
  const removes = [...change.remove, ...keys.remove].map(name);
  const expression = [
    `SET ${sets.join(', ')}`,
    ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
    'ADD #version :one',
  ].join(' ');
  return { expression, names, values };
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
    const { expression, names, values } = updateExpressionOf(ownerId, taskId, change);
    const item = await this.db
      .update({
        TableName: this.tableName,
        Key: this.keyOf(ownerId, taskId),
        UpdateExpression: expression,
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

  list(ownerId: string, query: ListQuery): Promise<TaskPage> {
    return listTasks(this.db, this.tableName, ownerId, query);
  }

  private keyOf(ownerId: string, taskId: string) {
    return { [TABLE_KEYS.partitionKey]: taskPartitionKey(ownerId), [TABLE_KEYS.sortKey]: taskId };
  }
}
