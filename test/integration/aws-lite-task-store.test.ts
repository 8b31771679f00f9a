import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../src/domain/deadline.js';
import { DeadlineExceededError, StoreUnavailableError, TaskNotFoundError } from '../../src/domain/errors.js';
import { newTask, planTaskChange } from '../../src/domain/task.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { type AwsLiteDynamo, awsLiteDocumentOps, makeAwsLiteDynamo } from '../../src/store/aws-lite-ops.js';
import { ConditionFailedError, type DocumentOps } from '../../src/store/document-ops.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';

/** The aws-lite document operations: the wire details the task stores rely on, and the deadline. */
const TABLE = `tasks-lite-${randomUUID().slice(0, 8)}`;
const deadline = deadlineIn(30 * 60_000);
let dynamo: LocalDynamo;
let ops: DocumentOps;
let store: DynamoTaskStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  ops = awsLiteDocumentOps(makeAwsLiteDynamo({ region: 'us-east-1', endpoint: dynamo.endpoint }));
  store = new DynamoTaskStore(ops, TABLE, deadline);
});
afterAll(async () => {
  await dynamo?.close();
});

describe('aws-lite document operations', () => {
  const owner = () => `owner-${randomUUID()}`;
  const task = () => newTask({ title: 't', description: '', status: 'PENDING' }, uuidv7(), new Date());

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
    const first = await ops.query(query, deadline);
    expect(first.lastEvaluatedKey).toEqual({ pk: `T#${ownerId}`, sk: a.taskId });
    const second = await ops.query({ ...query, ExclusiveStartKey: first.lastEvaluatedKey }, deadline);
    expect(second.items.map((item) => item.sk)).toEqual([b.taskId]);
  });

  it('maps an unreachable endpoint to StoreUnavailableError', async () => {
    const dead = new DynamoTaskStore(
      awsLiteDocumentOps(makeAwsLiteDynamo({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' })),
      TABLE,
      deadline,
    );
    await expect(dead.get(owner(), uuidv7())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

/** A client whose every call is recorded and answered by `reply`, for the deadline's edge cases. */
function fakeClient(reply: (call: number) => Promise<Record<string, unknown>>) {
  const calls: string[] = [];
  const method = (name: string) => () => {
    calls.push(name);
    return reply(calls.length);
  };
  const client = {
    GetItem: method('GetItem'),
    PutItem: method('PutItem'),
    UpdateItem: method('UpdateItem'),
    DeleteItem: method('DeleteItem'),
    Query: method('Query'),
    BatchGetItem: method('BatchGetItem'),
  } satisfies AwsLiteDynamo;
  return { ops: awsLiteDocumentOps(client), calls };
}

const noReply = (ms: number) => () =>
  new Promise<never>((_, fail) => setTimeout(() => fail(new Error('socket hang up')), ms));
const settled = (ms: number) => new Promise((done) => setTimeout(done, ms));
const key = { TableName: TABLE, Key: { pk: 'T#a', sk: 'b' } };

describe('given a deadline, aws-lite document operations', () => {
  it('send nothing once it has passed', async () => {
    const { ops: fake, calls } = fakeClient(async () => ({}));
    const passed = deadlineIn(-1);
    await expect(fake.put({ ...key, Item: {} }, passed)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(calls).toEqual([]);
  });

  it('retry a transient failure while it allows', async () => {
    const failure = Object.assign(new Error('busy'), { statusCode: 500 });
    const { ops: fake, calls } = fakeClient(async (n) => (n === 1 ? Promise.reject(failure) : { Item: {} }));
    await expect(fake.get(key, deadline)).resolves.toEqual({});
    expect(calls).toEqual(['GetItem', 'GetItem']);
  });

  it('answer when it passes and start no retry after it', async () => {
    const { ops: fake, calls } = fakeClient(noReply(150));
    const short = deadlineIn(50);
    await expect(fake.delete(key, short)).rejects.toBeInstanceOf(DeadlineExceededError);
    await settled(400); // the first attempt fails at 150 ms; a retry would follow within 80 ms
    expect(calls).toEqual(['DeleteItem']);
  });
});
