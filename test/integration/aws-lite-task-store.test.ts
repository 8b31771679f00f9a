import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, TaskNotFoundError } from '../../src/domain/errors.js';
import { newTask, planTaskChange } from '../../src/domain/task.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { awsLiteDocumentOps, makeAwsLiteDynamo } from '../../src/store/aws-lite-ops.js';
import { ConditionFailedError, type DocumentOps } from '../../src/store/document-ops.js';
import { DynamoIdempotencyStore } from '../../src/store/dynamo-idempotency-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { describeIdempotencyStoreContract } from '../contract/idempotency-store-contract.js';
import { describeTaskStoreContract } from '../contract/task-store-contract.js';

const TABLE = `tasks-lite-${randomUUID().slice(0, 8)}`;
let dynamo: LocalDynamo;
let ops: DocumentOps;
let store: DynamoTaskStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  ops = awsLiteDocumentOps(makeAwsLiteDynamo({ region: 'us-east-1', endpoint: dynamo.endpoint }));
  store = new DynamoTaskStore(ops, TABLE);
});
afterAll(async () => {
  await dynamo?.close();
});

describeTaskStoreContract('DynamoTaskStore over aws-lite on dynalite', () => store);
describeIdempotencyStoreContract(
  'DynamoIdempotencyStore over aws-lite on dynalite',
  () => new DynamoIdempotencyStore(ops, TABLE),
);

describe('aws-lite document operations', () => {
  const owner = () => `owner-${randomUUID()}`;
  const task = () => newTask({ title: 't', description: '', status: 'PENDING' }, uuidv7(), new Date());

  it('stores the same item shape as the SDK adapter', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, task());
    const item = await ops.get({ TableName: TABLE, Key: { pk: `T#${ownerId}`, sk: t.taskId } });
    expect(item).toMatchObject({ pk: `T#${ownerId}`, sk: t.taskId, statusKey: `T#${ownerId}#PENDING` });
    expect(item).toMatchObject({ version: 1 });
  });

  it('keeps the conditional failure as the cause of TaskNotFoundError', async () => {
    const error = await store
      .update(owner(), uuidv7(), planTaskChange({ title: 'x' }, new Date()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect((error as Error).cause).toBeInstanceOf(ConditionFailedError);
  });

  it('returns the last evaluated key as plain values and accepts it back', async () => {
    const ownerId = owner();
    const [a, b] = [task(), task()].sort((x, y) => x.taskId.localeCompare(y.taskId));
    if (!a || !b) throw new Error('two tasks expected');
    await store.create(ownerId, a);
    await store.create(ownerId, b);
    const query = {
      TableName: TABLE,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': 'pk' },
      ExpressionAttributeValues: { ':p': `T#${ownerId}` },
      Limit: 1,
    };
    const first = await ops.query(query);
    expect(first.lastEvaluatedKey).toEqual({ pk: `T#${ownerId}`, sk: a.taskId });
    const second = await ops.query({ ...query, ExclusiveStartKey: first.lastEvaluatedKey });
    expect(second.items.map((item) => item.sk)).toEqual([b.taskId]);
  });

  it('maps an unreachable endpoint to StoreUnavailableError when the endpoint is unreachable', async () => {
    const dead = new DynamoTaskStore(
      awsLiteDocumentOps(makeAwsLiteDynamo({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' })),
      TABLE,
    );
    await expect(dead.get(owner(), uuidv7())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
