import type { ChangePage, ChangesQuery } from '../domain/change-feed.js';
import type { Deadline } from '../domain/deadline.js';
import { PreconditionFailedError, TaskExistsError, TaskNotFoundError } from '../domain/errors.js';
import type { ListQuery } from '../domain/list-query.js';
import type { Task, TaskChange } from '../domain/task.js';
import type { TaskPage, TaskStore, WriteCondition } from '../domain/task-store.js';
import type { CursorCodec } from './cursor.js';
import { ConditionFailedError, type DocumentOps } from './document-ops.js';
import { listChanges, listTasks, type Reader } from './dynamo-list.js';
import { TABLE_KEYS, taskPartitionKey } from './table-schema.js';
import {
  DELETED_ATTRIBUTE,
  fromItem,
  indexKeyChanges,
  isTombstoneItem,
  toItem,
  tombstoneChange,
} from './task-item.js';

/**
 * The condition of an update or delete: the task exists and, with `versionIn` (from `If-Match`), its
 * version is one of those given, and with `versionNotIn` (from `If-None-Match`) none of those. DynamoDB
 * evaluates it atomically with the write.
 */
function writeCondition(condition: WriteCondition | undefined) {
  const values: Record<string, number> = {};
  const placeholders = (prefix: string, versions: readonly number[]) =>
    versions
      .map((version, i) => {
        values[`:${prefix}${i}`] = version;
        return `:${prefix}${i}`;
      })
      .join(', ');
  // A tombstone is a deleted task: no write applies to it.
  const clauses = ['attribute_exists(#pk)', 'attribute_not_exists(#deleted)'];
  if (condition?.versionIn) clauses.push(`#version IN (${placeholders('c', condition.versionIn)})`);
  if (condition?.versionNotIn?.length)
    clauses.push(`NOT (#version IN (${placeholders('n', condition.versionNotIn)}))`);
  const names = {
    '#pk': TABLE_KEYS.partitionKey,
    '#deleted': DELETED_ATTRIBUTE,
    ...(clauses.length > 2 && { '#version': 'version' }),
  };
  return { expression: clauses.join(' AND '), names, values };
}

/** Builds one UpdateExpression from a change: fields and index keys set, set-if-absent, removed. */
function updateExpressionOf(
  ownerId: string,
  taskId: string,
  change: TaskChange,
  guard: ReturnType<typeof writeCondition>,
) {
  const names: Record<string, string> = { ...guard.names, '#version': 'version' };
  const values: Record<string, unknown> = { ...guard.values, ':one': 1 };
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
 * design, conditions and paging run over whichever client is plugged in. One is made per request, for
 * that request's deadline.
 */
export class DynamoTaskStore implements TaskStore {
  constructor(
    private readonly db: DocumentOps,
    private readonly tableName: string,
    /** The request's deadline: every call this store makes shares it. */
    private readonly deadline: Deadline,
    /** Signs and checks list cursors under the server's key. */
    private readonly cursors: CursorCodec,
  ) {}

  async create(ownerId: string, task: Task): Promise<Task> {
    await this.db
      .put(
        {
          TableName: this.tableName,
          Item: toItem(ownerId, task),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        },
        this.deadline,
      )
      .catch((error: unknown) => {
        throw error instanceof ConditionFailedError ? new TaskExistsError({ cause: error }) : error;
      });
    return task;
  }

  async get(ownerId: string, taskId: string): Promise<Task | undefined> {
    const item = await this.db.get(
      { TableName: this.tableName, Key: this.keyOf(ownerId, taskId) },
      this.deadline,
    );
    return item && !isTombstoneItem(item) ? fromItem(item) : undefined;
  }

  async update(
    ownerId: string,
    taskId: string,
    change: TaskChange,
    condition?: WriteCondition,
  ): Promise<Task> {
    await this.refuseImpossible(ownerId, taskId, condition);
    const guard = writeCondition(condition);
    const { expression, names, values } = updateExpressionOf(ownerId, taskId, change, guard);
    const item = await this.db
      .update(
        {
          TableName: this.tableName,
          Key: this.keyOf(ownerId, taskId),
          UpdateExpression: expression,
          ConditionExpression: guard.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
        this.deadline,
      )
      .catch((error: unknown) => this.explainFailure(ownerId, taskId, error));
    return fromItem(item);
  }

  /** Turns the task into its tombstone in one conditional write: gone from every read but the feed. */
  async delete(ownerId: string, taskId: string, condition?: WriteCondition, at = new Date()): Promise<void> {
    await this.refuseImpossible(ownerId, taskId, condition);
    const guard = writeCondition(condition);
    const { set, remove } = tombstoneChange(ownerId, taskId, at.toISOString());
    const names: Record<string, string> = { ...guard.names };
    const values: Record<string, unknown> = { ...guard.values };
    const sets = Object.entries(set).map(([attribute, value], i) => {
      names[`#s${i}`] = attribute;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removes = remove.map((attribute, i) => {
      names[`#r${i}`] = attribute;
      return `#r${i}`;
    });
    await this.db
      .update(
        {
          TableName: this.tableName,
          Key: this.keyOf(ownerId, taskId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: guard.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
        this.deadline,
      )
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

  list(ownerId: string, query: ListQuery): Promise<TaskPage> {
    return listTasks(this.reader, this.cursors, this.tableName, ownerId, query);
  }

  changes(ownerId: string, query: ChangesQuery): Promise<ChangePage> {
    return listChanges(this.reader, this.cursors, this.tableName, ownerId, query);
  }

  private readonly reader: Reader = {
    query: (input) => this.db.query(input, this.deadline),
    batchGet: (keys) => this.db.batchGet({ TableName: this.tableName, Keys: keys }, this.deadline),
  };

  private keyOf(ownerId: string, taskId: string) {
    return { [TABLE_KEYS.partitionKey]: taskPartitionKey(ownerId), [TABLE_KEYS.sortKey]: taskId };
  }
}
