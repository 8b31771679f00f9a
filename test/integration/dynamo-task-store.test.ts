import { randomBytes, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../src/domain/deadline.js';
import { TaskNotFoundError } from '../../src/domain/errors.js';
import { newTask, planTaskChange } from '../../src/domain/task.js';
import { defaultListOf, type ListRef } from '../../src/domain/task-list.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import {
  aroundDocumentOps,
  ConditionFailedError,
  type DocumentOps,
  type Item,
  type OperationName,
} from '../../src/store/document-ops.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { INDEXES, listPartitionKey, TAG_INDEXES } from '../../src/store/table-schema.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

/**
 * The DynamoDB adapters over the client the task function ships with (dynamo-http-ops), on dynalite: what
 * only DynamoDB shows (the item layout, the query plan of each listing). The store contracts they pass
 * run from test/contract/dynamo-stores.emulators.test.ts.
 */
const TABLE = `tasks-store-${randomUUID().slice(0, 8)}`;
/** The suite's calls share one deadline far enough away never to pass. */
const deadline = deadlineIn(30 * 60_000);
let dynamo: LocalDynamo;
let ops: DocumentOps;
let store: DynamoTaskStore;
const sent: { name: OperationName; input: Readonly<Item> }[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  ops = dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint: dynamo.endpoint }));
  // Records every operation the adapter asks of the client, to check it queries rather than scans.
  const recorded = aroundDocumentOps(ops, (name, input, call) => {
    sent.push({ name, input });
    return call();
  });
  store = new DynamoTaskStore(recorded, TABLE, deadline, CURSORS);
});
afterAll(async () => {
  await dynamo?.close();
});

/** The item as stored, read around the adapter. */
const itemOf = (ownerId: ListRef, taskId: string) =>
  ops.get({ TableName: TABLE, Key: { pk: `${listPartitionKey(ownerId)}`, sk: taskId } }, deadline);

describe('DynamoTaskStore specifics', () => {
  const owner = () => defaultListOf(`owner-${randomUUID()}`);
  const task = () => newTask({ title: 't', description: '', status: 'PENDING' }, uuidv7(), new Date());

  it('stores a task under pk T#<owner>, sk <taskId>, with the status index key', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, task());
    const item = await itemOf(ownerId, t.taskId);
    expect(item).toMatchObject({
      pk: `${listPartitionKey(ownerId)}`,
      sk: t.taskId,
      statusKey: `${listPartitionKey(ownerId)}#PENDING`,
      version: 1,
    });
    expect(item).not.toHaveProperty('taskId');
  });

  it('moves the status index key when the status changes', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, task());
    await store.update(ownerId, t.taskId, planTaskChange({ status: 'IN_PROGRESS' }, new Date()));
    const item = await itemOf(ownerId, t.taskId);
    expect(item?.statusKey).toBe(`${listPartitionKey(ownerId)}#IN_PROGRESS`);
  });

  it('keeps the conditional failure as the cause of TaskNotFoundError on update', async () => {
    const error = await store
      .update(owner(), uuidv7(), planTaskChange({ title: 'x' }, new Date()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect((error as Error).cause).toBeInstanceOf(ConditionFailedError);
    expect(((error as Error).cause as Error).cause).toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  it('keeps the conditional failure as the cause of TaskNotFoundError on delete', async () => {
    const error = await store.delete(owner(), uuidv7()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect((error as Error).cause).toBeInstanceOf(ConditionFailedError);
    expect(((error as Error).cause as Error).cause).toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  const partitions = (ownerId: ListRef, statuses: readonly string[]) =>
    statuses.map((status) => `${listPartitionKey(ownerId)}#${status}`).sort();
  const ALL = ['DONE', 'IN_PROGRESS', 'PENDING'];

  it.each([
    [{}, 'byStatus', ALL],
    [{ status: 'DONE' as const }, 'byStatus', ['DONE']],
    [{ sort: 'dueDate' as const }, 'byStatusDue', ALL],
    [
      { sort: 'dueDate' as const, status: 'DONE' as const, dueAfter: '2026-01-01T00:00:00.000Z' },
      'byStatusDue',
      ['DONE'],
    ],
    [{ sort: 'updatedAt' as const }, 'byFeed', ALL],
    [{ sort: 'updatedAt' as const, status: 'PENDING' as const }, 'byFeed', ['PENDING']],
  ])(
    'serves %j with one Query of limit + 2 per status partition of %s, then a BatchGetItem if it holds keys only',
    async (query, indexName, statuses) => {
      const ownerId = owner();
      for (const status of ['PENDING', 'IN_PROGRESS', 'DONE'] as const)
        for (let i = 0; i < 2; i++) await store.create(ownerId, { ...task(), status, dueDate: '2026-06-01' });
      sent.length = 0;
      const page = await store.list(ownerId, { limit: 3, ...query });
      const queries = sent.filter((c) => c.name === 'Query');
      expect(queries.map((c) => (c.input.ExpressionAttributeValues as Item)[':p']).sort()).toEqual(
        partitions(ownerId, statuses),
      );
      expect(queries.every((c) => c.input.IndexName === indexName && c.input.Limit === 5)).toBe(true);
      // An index of whole items needs no second read; one of keys has the page's items read in one batch.
      const keysOnly =
        Object.values(INDEXES).find((i) => i.indexName === indexName)?.projection === 'KEYS_ONLY';
      expect(sent.map((c) => c.name).filter((n) => n !== 'Query')).toEqual(keysOnly ? ['BatchGetItem'] : []);
      expect(page.items.length).toBeGreaterThan(0);
    },
  );

  it('serves the change feed from the four feed partitions, tombstones included', async () => {
    const ownerId = owner();
    sent.length = 0;
    await store.changes(ownerId, {
      since: '2026-01-01T00:00:00.000Z',
      until: new Date().toISOString(),
      limit: 4,
    });
    expect(sent.map((c) => (c.input.ExpressionAttributeValues as Item)[':p']).sort()).toEqual(
      partitions(ownerId, [...ALL, '~deleted']),
    );
    expect(sent.every((c) => c.input.IndexName === 'byFeed' && c.input.Limit === 6)).toBe(true);
  });

  it('turns a deleted task into a small tombstone that only the feed index holds', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, { ...task(), tags: ['a'], dueDate: '2026-06-01' });
    await store.delete(ownerId, t.taskId, undefined, new Date('2026-07-01T00:00:00.000Z'));
    expect(await itemOf(ownerId, t.taskId)).toEqual({
      pk: `${listPartitionKey(ownerId)}`,
      sk: t.taskId,
      deleted: true,
      updatedAt: '2026-07-01T00:00:00.000Z',
      feedKey: `${listPartitionKey(ownerId)}#~deleted`,
      updatedKey: `2026-07-01T00:00:00.000Z#${t.taskId}`,
      expiresAt: Date.parse('2026-07-31T00:00:00.000Z') / 1000,
    });
  });

  it('serves a tag with one Query of limit + 2 per tag slot, whatever the owner holds', async () => {
    const ownerId = owner();
    for (let i = 0; i < 30; i++)
      await store.create(ownerId, { ...task(), tags: i % 10 === 0 ? ['rare'] : ['common'] });
    sent.length = 0;
    const page = await store.list(ownerId, { limit: 2, tag: 'rare' });
    expect(page.items).toHaveLength(2);
    const indexes = sent.filter((c) => c.name === 'Query').map((c) => c.input.IndexName);
    expect(indexes.sort()).toEqual(TAG_INDEXES.map((index) => index.indexName));
    const queries = sent.filter((c) => c.name === 'Query');
    expect(queries.every((c) => c.input.Limit === 4)).toBe(true);
  });

  it('removes the index keys of tags and of a due date that are gone, so the item leaves those indexes', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, { ...task(), tags: ['a', 'b'] });
    await store.update(ownerId, t.taskId, planTaskChange({ tags: ['c'], dueDate: null }, new Date()));
    const item = await itemOf(ownerId, t.taskId);
    expect(item).toMatchObject({ tag0Key: `${listPartitionKey(ownerId)}#c`, tags: ['c'] });
    expect(item).not.toHaveProperty('tag1Key');
    // Undated now: out of the sparse byStatusDue too.
    expect(item).not.toHaveProperty('dueKey');
  });
});
