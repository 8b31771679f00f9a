import { PreconditionFailedError, TaskExistsError, TaskNotFoundError } from '../domain/errors.js';
import type { Task, TaskChange } from '../domain/task.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ConditionFailedError, type DocumentOps, type Item } from './document-ops.js';
import { INDEXES, statusPartitionKey, TABLE_KEYS, taskPartitionKey } from './table-schema.js';
import type { ListQuery, TaskPage, TaskStore, WriteCondition } from './task-store.js';

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

/**
 * The condition of an update or delete: the task exists and, with `versionIn` (from `If-Match`), its
 * version is one of those given. DynamoDB evaluates it atomically with the write.
 */
function writeCondition(condition: WriteCondition | undefined) {
  const versions = condition?.versionIn;
  const names = { '#pk': TABLE_KEYS.partitionKey, ...(versions && { '#version': 'version' }) };
  const values: Record<string, number> = {};
  for (const [i, version] of (versions ?? []).entries()) values[`:c${i}`] = version;
  const expression = versions
    ? `attribute_exists(#pk) AND #version IN (${Object.keys(values).join(', ')})`
    : 'attribute_exists(#pk)';
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
    await this.db
      .put({
        TableName: this.tableName,
        Item: toItem(ownerId, task),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      })
      .catch((error: unknown) => {
        throw error instanceof ConditionFailedError ? new TaskExistsError({ cause: error }) : error;
      });
    return task;
  }

  async get(ownerId: string, taskId: string): Promise<Task | undefined> {
    const item = await this.db.get({ TableName: this.tableName, Key: this.keyOf(ownerId, taskId) });
    return item ? fromItem(item) : undefined;
  }

  async update(
    ownerId: string,
    taskId: string,
    change: TaskChange,
    condition?: WriteCondition,
  ): Promise<Task> {
    await this.refuseImpossible(ownerId, taskId, condition);
    const guard = writeCondition(condition);
    const names: Record<string, string> = { ...guard.names, '#version': 'version' };
    const values: Record<string, unknown> = { ...guard.values, ':one': 1 };
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
        ConditionExpression: guard.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      })
      .catch((error: unknown) => this.explainFailure(ownerId, taskId, error));
    return fromItem(item);
  }

  async delete(ownerId: string, taskId: string, condition?: WriteCondition): Promise<void> {
    await this.refuseImpossible(ownerId, taskId, condition);
    const guard = writeCondition(condition);
    await this.db
      .delete({
        TableName: this.tableName,
        Key: this.keyOf(ownerId, taskId),
        ConditionExpression: guard.expression,
        ExpressionAttributeNames: guard.names,
        ...(Object.keys(guard.values).length > 0 && { ExpressionAttributeValues: guard.values }),
      })
      .catch((error: unknown) => this.explainFailure(ownerId, taskId, error));
  }

  /** An empty `versionIn` can never hold (and `IN ()` is not valid syntax): answer without writing. */
  private async refuseImpossible(ownerId: string, taskId: string, condition?: WriteCondition) {
    if (condition?.versionIn?.length === 0)
      await this.explainFailure(ownerId, taskId, new ConditionFailedError('no version can match'));
  }

  /** A failed condition is a missing task (404) or a moved version (412); one read tells which. */
  private async explainFailure(ownerId: string, taskId: string, error: unknown): Promise<never> {
    if (!(error instanceof ConditionFailedError)) throw error;
    const current = await this.get(ownerId, taskId);
    if (!current) throw new TaskNotFoundError({ cause: error });
    throw new PreconditionFailedError(current.version, { cause: error });
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
