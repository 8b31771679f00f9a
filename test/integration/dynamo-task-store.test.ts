import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, TaskNotFoundError } from '../../src/domain/errors.js';
import { newTask, planTaskChange } from '../../src/domain/task.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeDocumentClient, sdkDocumentOps } from '../../src/store/dynamo-client.js';
import { DynamoIdempotencyStore } from '../../src/store/dynamo-idempotency-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { describeIdempotencyStoreContract } from '../contract/idempotency-store-contract.js';
import { describeTaskStoreContract } from '../contract/task-store-contract.js';

const TABLE = `tasks-store-${randomUUID().slice(0, 8)}`;
let dynamo: LocalDynamo;
let client: ReturnType<typeof makeDocumentClient>;
let store: DynamoTaskStore;
const sent: { name: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  client = makeDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  // Records every command the adapter sends, to check it queries rather than scans.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ name: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  store = new DynamoTaskStore(sdkDocumentOps(client), TABLE);
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

describeTaskStoreContract('DynamoTaskStore on dynalite', () => store);
describeIdempotencyStoreContract(
  'DynamoIdempotencyStore on dynalite',
  () => new DynamoIdempotencyStore(sdkDocumentOps(client), TABLE),
);

describe('DynamoTaskStore specifics', () => {
  const owner = () => `owner-${randomUUID()}`;
  const task = () => newTask({ title: 't', description: '', status: 'PENDING' }, uuidv7(), new Date());

  it('stores a task under pk T#<owner>, sk <taskId>, with the status index key', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, task());
    const { Item } = await client.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `T#${ownerId}`, sk: t.taskId } }),
    );
    expect(Item).toMatchObject({
      pk: `T#${ownerId}`,
      sk: t.taskId,
      statusKey: `T#${ownerId}#PENDING`,
      version: 1,
    });
    expect(Item).not.toHaveProperty('taskId');
  });

  it('moves the status index key when the status changes', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, task());
    await store.update(ownerId, t.taskId, planTaskChange({ status: 'IN_PROGRESS' }, new Date()));
    const { Item } = await client.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `T#${ownerId}`, sk: t.taskId } }),
    );
    expect(Item?.statusKey).toBe(`T#${ownerId}#IN_PROGRESS`);
  });

  it('keeps the conditional failure as the cause of TaskNotFoundError on update', async () => {
    const error = await store
      .update(owner(), uuidv7(), planTaskChange({ title: 'x' }, new Date()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(((error as Error).cause as Error).cause).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('keeps the conditional failure as the cause of TaskNotFoundError on delete', async () => {
    const error = await store.delete(owner(), uuidv7()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(((error as Error).cause as Error).cause).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('lists with one Query of limit + 1 items and never a Scan', async () => {
    const ownerId = owner();
    await store.create(ownerId, task());
    sent.length = 0;
    await store.list(ownerId, { limit: 7 });
    expect(sent.map((c) => c.name)).toEqual([QueryCommand.name]);
    expect(sent[0]?.input).toMatchObject({ Limit: 8, ExpressionAttributeValues: { ':p': `T#${ownerId}` } });
    expect(sent.some((c) => c.name === ScanCommand.name)).toBe(false);
  });

  it('filters by status with a Query on the byStatus index', async () => {
    const ownerId = owner();
    sent.length = 0;
    await store.list(ownerId, { limit: 5, status: 'DONE' });
    expect(sent[0]).toMatchObject({
      name: QueryCommand.name,
      input: { IndexName: 'byStatus', ExpressionAttributeValues: { ':p': `T#${ownerId}#DONE` } },
    });
  });

  it.each([
    [{ sort: 'dueDate' as const }, 'byDue', (o: string) => `T#${o}`],
    [
      { sort: 'dueDate' as const, status: 'DONE' as const, dueAfter: '2026-01-01T00:00:00.000Z' },
      'byStatusDue',
      (o: string) => `T#${o}#DONE`,
    ],
    [{ sort: 'updatedAt' as const }, 'byUpdated', (o: string) => `T#${o}`],
    [
      { sort: 'updatedAt' as const, status: 'PENDING' as const },
      'byStatusUpdated',
      (o: string) => `T#${o}#PENDING`,
    ],
  ])('serves %j with one Query of limit + 1 on its index', async (query, indexName, partition) => {
    const ownerId = owner();
    sent.length = 0;
    await store.list(ownerId, { limit: 3, ...query });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      name: QueryCommand.name,
      input: { IndexName: indexName, Limit: 4, ExpressionAttributeValues: { ':p': partition(ownerId) } },
    });
  });

  it('serves a tag with one Query of limit + 1 per tag slot, whatever the owner holds', async () => {
    const ownerId = owner();
    for (let i = 0; i < 30; i++)
      await store.create(ownerId, { ...task(), tags: i % 10 === 0 ? ['rare'] : ['common'] });
    sent.length = 0;
    const page = await store.list(ownerId, { limit: 2, tag: 'rare' });
    expect(page.items).toHaveLength(2);
    expect(sent.map((c) => c.input.IndexName).sort()).toEqual([
      'byTag0',
      'byTag1',
      'byTag2',
      'byTag3',
      'byTag4',
    ]);
    expect(sent.every((c) => c.name === QueryCommand.name && c.input.Limit === 3)).toBe(true);
  });

  it('removes the index keys of tags that are gone, so the item leaves those indexes', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, { ...task(), tags: ['a', 'b'] });
    await store.update(ownerId, t.taskId, planTaskChange({ tags: ['c'], dueDate: null }, new Date()));
    const { Item } = await client.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `T#${ownerId}`, sk: t.taskId } }),
    );
    expect(Item).toMatchObject({ tag0Key: `T#${ownerId}#c`, tags: ['c'], dueKey: `~#${t.taskId}` });
    expect(Item).not.toHaveProperty('tag1Key');
  });

  it('maps an unreachable endpoint to StoreUnavailableError', async () => {
    const dead = new DynamoTaskStore(
      sdkDocumentOps(makeDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' })),
      TABLE,
    );
    await expect(dead.get(owner(), uuidv7())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
