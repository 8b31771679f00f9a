// Long on purpose (~265 lines): the adapter of the TaskStore port, each write one conditional UpdateItem or PutItem built here; split, the write conditions would live apart from the writes.
import type { ChangePage, ChangesQuery } from '../domain/change-feed.js';
import type { Deadline } from '../domain/deadline.js';
import { PreconditionFailedError, TaskExistsError, TaskNotFoundError } from '../domain/errors.js';
import type { ListQuery } from '../domain/list-query.js';
import type { Task, TaskChange } from '../domain/task.js';
import type { ListRef } from '../domain/task-list.js';
import type { Placed } from '../domain/task-order.js';
import type { Placement, SiblingsQuery, TaskPage, TaskStore, WriteCondition } from '../domain/task-store.js';
import type { CursorCodec } from './cursor.js';
import { ConditionFailedError, type DocumentOps, type Item, type UpdateInput } from './document-ops.js';
import { listChanges, listSiblings, listTasks, type Reader } from './dynamo-list.js';
import { KEY_ATTRIBUTES, listPartitionKey, TABLE_KEYS } from './table-schema.js';
import {
  DELETED_ATTRIBUTE,
  fromItem,
  indexKeyChanges,
  isTombstoneItem,
  placementKeys,
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
  partition: string,
  taskId: string,
  change: TaskChange,
  guard: ReturnType<typeof writeCondition>,
  extra: { set: Item; remove: readonly string[] } = { set: {}, remove: [] },
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
  const keys = indexKeyChanges(partition, taskId, change);
  const sets = Object.entries({ ...change.set, ...keys.set, ...extra.set }).map(
    ([f, v]) => `${name(f)} = ${value(v)}`,
  );
  for (const [field, v] of Object.entries(change.setIfAbsent)) {
    const n = name(field);
    sets.push(`${n} = if_not_exists(${n}, ${value(v)})`);
  }
  const removes = [...change.remove, ...keys.remove, ...extra.remove].map(name);
  const expression = [
    `SET ${sets.join(', ')}`,
    ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
    'ADD #version :one',
  ].join(' ');
  return { expression, names, values };
}

/**
 * The one conditional write that turns a live task into its tombstone (`tombstoneChange`): a delete, and
 * the purge of a deleted list's tasks (`list-purge.ts`).
 */
export function tombstoneUpdate(
  tableName: string,
  partition: string,
  taskId: string,
  at: Date,
  condition?: WriteCondition,
): UpdateInput {
  const guard = writeCondition(condition);
  const { set, remove } = tombstoneChange(partition, taskId, at.toISOString());
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
  return {
    TableName: tableName,
    Key: { [TABLE_KEYS.partitionKey]: partition, [TABLE_KEYS.sortKey]: taskId },
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
    ConditionExpression: guard.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
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

  async create(list: ListRef, task: Task, parent?: Placed): Promise<Task> {
    await this.db
      .put(
        {
          TableName: this.tableName,
          Item: toItem(listPartitionKey(list), task, parent),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        },
        this.deadline,
      )
      .catch((error: unknown) => {
        throw error instanceof ConditionFailedError ? new TaskExistsError({ cause: error }) : error;
      });
    return { ...task, listId: list.listId };
  }

  async put(list: ListRef, task: Task, parent?: Placed): Promise<Task> {
    const item = toItem(listPartitionKey(list), task, parent);
    await this.db.put({ TableName: this.tableName, Item: item }, this.deadline);
    return { ...task, listId: list.listId };
  }

  async get(list: ListRef, taskId: string): Promise<Task | undefined> {
    const item = await this.db.get(
      { TableName: this.tableName, Key: this.keyOf(list, taskId) },
      this.deadline,
    );
    return item && !isTombstoneItem(item) ? fromItem(item) : undefined;
  }

  update(list: ListRef, taskId: string, change: TaskChange, condition?: WriteCondition): Promise<Task> {
    return this.write(list, taskId, change, condition);
  }

  place(
    list: ListRef,
    taskId: string,
    placement: Placement,
    at: Date,
    condition?: WriteCondition,
  ): Promise<Task> {
    const partition = listPartitionKey(list);
    const { position, parent } = placement;
    const change: TaskChange = { set: { updatedAt: at.toISOString() }, remove: [], setIfAbsent: {} };
    const extra = {
      set: {
        position,
        ...placementKeys(partition, { taskId, position }, parent),
        ...(parent && { parentId: parent.taskId }),
      },
      remove: parent ? [] : ['parentId', KEY_ATTRIBUTES.parent],
    };
    return this.write(list, taskId, change, condition, extra);
  }

  private async write(
    list: ListRef,
    taskId: string,
    change: TaskChange,
    condition: WriteCondition | undefined,
    extra?: { set: Item; remove: readonly string[] },
  ): Promise<Task> {
    await this.refuseImpossible(list, taskId, condition);
    const guard = writeCondition(condition);
    const partition = listPartitionKey(list);
    const { expression, names, values } = updateExpressionOf(partition, taskId, change, guard, extra);
    const item = await this.db
      .update(
        {
          TableName: this.tableName,
          Key: this.keyOf(list, taskId),
          UpdateExpression: expression,
          ConditionExpression: guard.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
        this.deadline,
      )
      .catch((error: unknown) => this.explainFailure(list, taskId, error));
    return fromItem(item);
  }

  siblings(list: ListRef, query: SiblingsQuery): Promise<Placed[]> {
    return listSiblings(this.reader, this.tableName, listPartitionKey(list), query);
  }

  /** Turns the task into its tombstone in one conditional write: gone from every read but the feed. */
  async delete(list: ListRef, taskId: string, condition?: WriteCondition, at = new Date()): Promise<void> {
    await this.refuseImpossible(list, taskId, condition);
    const input = tombstoneUpdate(this.tableName, listPartitionKey(list), taskId, at, condition);
    await this.db
      .update(input, this.deadline)
      .catch((error: unknown) => this.explainFailure(list, taskId, error));
  }

  /** An empty `versionIn` can never hold (and `IN ()` is not valid syntax): answer without writing. */
  private async refuseImpossible(list: ListRef, taskId: string, condition?: WriteCondition) {
    if (condition?.versionIn?.length === 0)
      await this.explainFailure(list, taskId, new ConditionFailedError('no version can match'));
  }

  /** A failed condition is a missing task (404) or a moved version (412); one read tells which. */
  private async explainFailure(list: ListRef, taskId: string, error: unknown): Promise<never> {
    if (!(error instanceof ConditionFailedError)) throw error;
    const current = await this.get(list, taskId);
    if (!current) throw new TaskNotFoundError({ cause: error });
    throw new PreconditionFailedError(current.version, { cause: error });
  }

  list(list: ListRef, query: ListQuery): Promise<TaskPage> {
    return listTasks(this.reader, this.cursors, this.tableName, listPartitionKey(list), query);
  }

  changes(list: ListRef, query: ChangesQuery): Promise<ChangePage> {
    return listChanges(this.reader, this.cursors, this.tableName, listPartitionKey(list), query);
  }

  private readonly reader: Reader = {
    query: (input) => this.db.query(input, this.deadline),
    batchGet: (keys) => this.db.batchGet({ TableName: this.tableName, Keys: keys }, this.deadline),
  };

  private keyOf(list: ListRef, taskId: string) {
    return { [TABLE_KEYS.partitionKey]: listPartitionKey(list), [TABLE_KEYS.sortKey]: taskId };
  }
}
