import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../src/aws/aws-json-client.js';
import {
  StoreThrottledError,
  StoreUnavailableError,
  TaskExistsError,
  TaskNotFoundError,
} from '../../src/domain/errors.js';
import { newTask, planTaskChange } from '../../src/domain/task.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { ConditionFailedError, type DocumentOps } from '../../src/store/document-ops.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoIdempotencyStore } from '../../src/store/dynamo-idempotency-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { describeIdempotencyStoreContract } from '../contract/idempotency-store-contract.js';
import { describeTaskStoreContract } from '../contract/task-store-contract.js';

const TABLE = `tasks-http-${randomUUID().slice(0, 8)}`;
let dynamo: LocalDynamo;
let ops: DocumentOps;
let store: DynamoTaskStore;

const opsFor = (endpoint: string) =>
  dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint }));

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  ops = opsFor(dynamo.endpoint);
  store = new DynamoTaskStore(ops, TABLE);
});
afterAll(async () => {
  await dynamo?.close();
});

describeTaskStoreContract('DynamoTaskStore over the signed HTTP client on dynalite', () => store);
describeIdempotencyStoreContract(
  'DynamoIdempotencyStore over the signed HTTP client on dynalite',
  () => new DynamoIdempotencyStore(ops, TABLE),
);

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
  const owner = () => `owner-${randomUUID()}`;
  const task = () => newTask({ title: 't', description: '', status: 'PENDING' }, uuidv7(), new Date());

  it('stores the same item shape as the other clients, numbers as numbers and tags as a list', async () => {
    const ownerId = owner();
    const t = await store.create(ownerId, { ...task(), tags: ['a', 'b'] });
    const item = await ops.get({ TableName: TABLE, Key: { pk: `T#${ownerId}`, sk: t.taskId } });
    expect(item).toMatchObject({ pk: `T#${ownerId}`, sk: t.taskId, statusKey: `T#${ownerId}#PENDING` });
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

  it('signs each request with SigV4 for DynamoDB and names the operation in X-Amz-Target', async () => {
    const service = await fakeService((_, res) => res.end('{}'));
    try {
      await opsFor(service.endpoint).put({ TableName: TABLE, Item: { pk: 'p', n: 2 } });
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
        .get({ TableName: TABLE, Key: { pk: 'p' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(expected);
      expect((error as Error).cause).toMatchObject({ name: type, statusCode: status });
      expect(service.seen).toHaveLength(1); // one attempt: the caller's deadline decides, not a retry loop
    } finally {
      await service.close();
    }
  });

  it('passes a request DynamoDB refused as invalid through unchanged: a bug, not an outage', async () => {
    const service = await fakeService(errorReply(400, 'ValidationException'));
    try {
      const error = await opsFor(service.endpoint)
        .get({ TableName: TABLE, Key: { pk: 'p' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsServiceError);
      expect(error).toMatchObject({ name: 'ValidationException', statusCode: 400 });
    } finally {
      await service.close();
    }
  });

  it('maps an unreachable endpoint to StoreUnavailableError', async () => {
    const dead = new DynamoTaskStore(opsFor('http://127.0.0.1:9'), TABLE);
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
      await client.get({ TableName: TABLE, Key: { pk: 'p' } });
      await expect(client.get({ TableName: TABLE, Key: { pk: 'p' } })).resolves.toEqual({ pk: 'p' });
      expect(service.seen).toHaveLength(3);
    } finally {
      await service.close();
    }
  });
});
