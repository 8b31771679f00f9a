// Long on purpose (~265 lines): one fake DynamoDB endpoint serves every wire case, each beside the others of its call.

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsJsonCall, AwsServiceError } from '../../src/aws/aws-json-client.js';
import { deadlineIn } from '../../src/domain/deadline.js';
import {
  DeadlineExceededError,
  StoreThrottledError,
  StoreUnavailableError,
  TaskExistsError,
  TaskNotFoundError,
} from '../../src/domain/errors.js';
import { newTask, planTaskChange } from '../../src/domain/task.js';
import { defaultListOf } from '../../src/domain/task-list.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import { ConditionFailedError, type DocumentOps } from '../../src/store/document-ops.js';
import {
  DYNAMO_HTTP_LIMITS,
  dynamoHttpDocumentOps,
  makeDynamoHttpClient,
} from '../../src/store/dynamo-http-ops.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { INDEXES, listPartitionKey } from '../../src/store/table-schema.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

/**
 * The shipped client's wire details (the store contracts run over it from test/contract/): the signature,
 * the item shape, error classification, the kept-alive socket resend and the deadline.
 */
const TABLE = `tasks-http-${randomUUID().slice(0, 8)}`;
/** Far enough away never to pass, where a test is not about the deadline. */
const deadline = deadlineIn(30 * 60_000);
let dynamo: LocalDynamo;
let ops: DocumentOps;
let store: DynamoTaskStore;

const opsFor = (endpoint: string) =>
  dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint }));

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  ops = opsFor(dynamo.endpoint);
  store = new DynamoTaskStore(ops, TABLE, deadline, CURSORS);
});
afterAll(async () => {
  await dynamo?.close();
});

/** A loopback server that answers every request with `reply`, recording what it was sent. */
async function fakeService(reply: (req: IncomingMessage, res: ServerResponse, socket: Socket) => void) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      reply(req, res, req.socket);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const errorReply = (status: number, type: string) => (_: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type }));
};

describe('the signed HTTP document operations', () => {
  const owner = () => defaultListOf(`owner-${randomUUID()}`);
  const task = () => newTask({ title: 't', description: '', status: 'PENDING' }, uuidv7(), new Date());

  it('stores the same item shape as the other clients, numbers as numbers and tags as a list', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, { ...task(), tags: ['a', 'b'] });
    const item = await ops.get(
      { TableName: TABLE, Key: { pk: `${listPartitionKey(ownerId)}`, sk: t.taskId } },
      deadline,
    );
    expect(item).toMatchObject({
      pk: `${listPartitionKey(ownerId)}`,
      sk: t.taskId,
      statusKey: `${listPartitionKey(ownerId)}#PENDING`,
    });
    expect(item).toMatchObject({ version: 1, tags: ['a', 'b'], description: '' });
  });

  it('keeps the conditional failure as the cause of TaskNotFoundError', async () => {
    const error = await store
      .update(owner(), uuidv7(), planTaskChange({ title: 'x' }, new Date()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect((error as Error).cause).toBeInstanceOf(ConditionFailedError);
  });

  it('refuses a second create of the same task id as TaskExistsError', async () => {
    const ownerId = owner();
    const t = task();
    await store.create(ownerId, t);
    await expect(store.create(ownerId, t)).rejects.toBeInstanceOf(TaskExistsError);
  });

  it('returns the last evaluated key as plain values and accepts it back', async () => {
    const ownerId = owner();
    const [a, b] = [task(), task()].sort((x, y) => x.taskId.localeCompare(y.taskId));
    if (!a || !b) throw new Error('two tasks expected');
    await store.create(ownerId, a);
    await store.create(ownerId, b);
    // An index, as every listing reads: the task function's role may Query nothing else.
    const query = {
      TableName: TABLE,
      IndexName: INDEXES.byStatus.indexName,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': INDEXES.byStatus.partitionKey },
      ExpressionAttributeValues: { ':p': `${listPartitionKey(ownerId)}#PENDING` },
      Limit: 1,
    };
    const first = await ops.query(query, deadline);
    expect(first.lastEvaluatedKey).toEqual({
      pk: `${listPartitionKey(ownerId)}`,
      sk: a.taskId,
      statusKey: `${listPartitionKey(ownerId)}#PENDING`,
    });
    const second = await ops.query({ ...query, ExclusiveStartKey: first.lastEvaluatedKey }, deadline);
    expect(second.items.map((item) => item.sk)).toEqual([b.taskId]);
  });

  it('signs each request with SigV4 for DynamoDB and names the operation in X-Amz-Target', async () => {
    const service = await fakeService((_, res) => res.end('{}'));
    try {
      await opsFor(service.endpoint).put({ TableName: TABLE, Item: { pk: 'p', n: 2 } }, deadline);
      const [sent] = service.seen;
      expect(sent?.headers['x-amz-target']).toBe('DynamoDB_20120810.PutItem');
      expect(sent?.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(sent?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/dynamodb\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
      );
      expect(JSON.parse(sent?.body ?? '')).toEqual({
        TableName: TABLE,
        Item: { pk: { S: 'p' }, n: { N: '2' } },
      });
    } finally {
      await service.close();
    }
  });

  it.each([
    ['throttling', 400, 'ThrottlingException', StoreThrottledError],
    ['exceeded throughput', 400, 'ProvisionedThroughputExceededException', StoreThrottledError],
    ['a service fault', 500, 'InternalServerError', StoreUnavailableError],
    ['an unavailable service', 503, 'ServiceUnavailable', StoreUnavailableError],
  ])('maps %s to the store error the handler answers with', async (_, status, type, expected) => {
    const service = await fakeService(errorReply(status, type));
    try {
      const error = await opsFor(service.endpoint)
        .get({ TableName: TABLE, Key: { pk: 'p' } }, deadline)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(expected);
      expect((error as Error).cause).toMatchObject({ name: type, statusCode: status });
      expect(service.seen).toHaveLength(DYNAMO_HTTP_LIMITS.attempts); // transient: retried, then reported
    } finally {
      await service.close();
    }
  });

  it('passes a request DynamoDB refused as invalid through unchanged: a bug, not an outage', async () => {
    const service = await fakeService(errorReply(400, 'ValidationException'));
    try {
      const error = await opsFor(service.endpoint)
        .get({ TableName: TABLE, Key: { pk: 'p' } }, deadline)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsServiceError);
      expect(error).toMatchObject({ name: 'ValidationException', statusCode: 400 });
      expect(service.seen).toHaveLength(1); // not transient: never retried
    } finally {
      await service.close();
    }
  });

  it('maps an unreachable endpoint to StoreUnavailableError', async () => {
    const dead = new DynamoTaskStore(opsFor('http://127.0.0.1:9'), TABLE, deadline, CURSORS);
    await expect(dead.get(owner(), uuidv7())).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('abandons a request unanswered by its deadline and closes its socket, so nothing lands later', async () => {
    const closed: Promise<void>[] = [];
    const service = await fakeService((_, _res, socket) => {
      closed.push(new Promise((done) => socket.once('close', () => done()))); // never answers
    });
    try {
      const call = makeDynamoHttpClient({ region: 'us-east-1', endpoint: service.endpoint });
      const error = await call('GetItem', { TableName: TABLE }, Date.now() + 100).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
      await Promise.all(closed); // the server sees the connection go
      expect(closed).toHaveLength(1);
    } finally {
      await service.close();
    }
  });

  it('sends a request again on a fresh socket when a kept-alive one turns out to be closed', async () => {
    const served = new WeakSet<Socket>();
    const service = await fakeService((_, res, socket) => {
      // The second request on a socket finds it closed, as after a frozen Lambda's idle timeout.
      if (served.has(socket)) return socket.destroy();
      served.add(socket);
      res.end(JSON.stringify({ Item: { pk: { S: 'p' } } }));
    });
    try {
      const client = opsFor(service.endpoint);
      await client.get({ TableName: TABLE, Key: { pk: 'p' } }, deadline);
      await expect(client.get({ TableName: TABLE, Key: { pk: 'p' } }, deadline)).resolves.toEqual({
        pk: 'p',
      });
      expect(service.seen).toHaveLength(3);
    } finally {
      await service.close();
    }
  });
});

/** A client whose every call is recorded and answered by `reply`, for the deadline's edge cases. */
function fakeClient(reply: (call: number) => Promise<Record<string, unknown>>) {
  const calls: string[] = [];
  const call: AwsJsonCall = (operation) => {
    calls.push(operation);
    return reply(calls.length);
  };
  return { ops: dynamoHttpDocumentOps(call), calls };
}

const noReply = (ms: number) => () =>
  new Promise<never>((_, fail) => setTimeout(() => fail(new Error('socket hang up')), ms));
const settled = (ms: number) => new Promise((done) => setTimeout(done, ms));
const key = { TableName: TABLE, Key: { pk: 'T#a', sk: 'b' } };

describe('given a deadline, the signed HTTP document operations', () => {
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
    await expect(fake.get(key, short)).rejects.toBeInstanceOf(DeadlineExceededError);
    await settled(400); // the first attempt fails at 150 ms; a retry would follow within 80 ms
    expect(calls).toEqual(['GetItem']);
  });

  it('hand the deadline to the client, which abandons the request then', async () => {
    const untils: (number | undefined)[] = [];
    const ops = dynamoHttpDocumentOps(async (_operation, _body, until) => {
      untils.push(until);
      return {};
    });
    const short = deadlineIn(5_000);
    await ops.put({ ...key, Item: {} }, short);
    expect(untils).toEqual([short.at]);
  });
});
