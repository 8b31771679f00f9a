import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/api/handler.js';
import type { AwsJsonCall } from '../../src/aws/aws-json-client.js';
import { type Deadline, deadlineIn } from '../../src/domain/deadline.js';
import { makeTaskService } from '../../src/domain/task-service.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import type { DocumentOps } from '../../src/store/document-ops.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoIdempotencyStore } from '../../src/store/dynamo-idempotency-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { INDEXES, statusPartitionKey, taskPartitionKey } from '../../src/store/table-schema.js';
import { memoryServices } from '../support/memory-services.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

/**
 * One deadline per request: an idempotent create is three writes (claim the key, put the task, complete
 * the record), and once the client has its 503 none of them may still be sent, whether the store stalls
 * or merely answers slowly. The handler runs as the task function composes it, over the shipped client.
 */
const TABLE = `tasks-deadline-${randomUUID().slice(0, 8)}`;
const DEADLINE_MS = 300;
let dynamo: LocalDynamo;
let proxy: TcpProxy;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  const target = new URL(dynamo.endpoint);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
});
afterAll(async () => {
  await proxy?.close();
  await dynamo?.close();
});

function handlerOver(ops: DocumentOps, deadlineMs = DEADLINE_MS) {
  const servicesFor = (deadline: Deadline) =>
    memoryServices(
      makeTaskService({
        store: new DynamoTaskStore(ops, TABLE, deadline, CURSORS),
        idempotency: new DynamoIdempotencyStore(ops, TABLE, deadline),
        now: () => new Date(),
        newId: uuidv7,
      }),
    );
  return makeHandler({ servicesFor, corsOrigins: ['*'], deadlineMs, logger: { error: () => undefined } });
}

function createWithKey(principalId: string, key: string): APIGatewayProxyEvent {
  const headers = { Host: 'api.example', 'Content-Type': 'application/json', 'Idempotency-Key': key };
  return {
    resource: '/tasks',
    path: '/tasks',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify({ title: 'written once, or not at all' }),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      path: '/dev/tasks',
      stage: 'dev',
      authorizer: { principalId },
    },
  } as unknown as APIGatewayProxyEvent;
}

const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('after the client has its 503', () => {
  it('no write of an idempotent create reaches a store that stalled and came back', async () => {
    const opsFor = (endpoint: string) =>
      dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint }));
    const viaProxy = opsFor(proxy.endpoint);
    const direct = opsFor(dynamo.endpoint);
    const handle = handlerOver(viaProxy);
    const owner = `owner-${randomUUID()}`;
    const key = randomUUID();
    // The client is warm (with time to spare: a loaded machine must not turn the warm-up into the 503).
    expect((await handlerOver(viaProxy, 10_000)(createWithKey(owner, randomUUID()))).statusCode).toBe(201);

    proxy.stall();
    const reply = await handle(createWithKey(owner, key));
    expect(reply.statusCode).toBe(503);
    await proxy.resume(); // the stalled claim fails now; a retry would land at once
    await settle(1_500);

    const deadline = deadlineIn(10_000);
    const record = await direct.get({ TableName: TABLE, Key: { pk: `I#${owner}`, sk: key } }, deadline);
    expect(record).toBeUndefined();
    // By the status index, as the function lists (its role may Query nothing else): both are PENDING.
    const tasks = await direct.query(
      {
        TableName: TABLE,
        IndexName: INDEXES.byStatus.indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': INDEXES.byStatus.partitionKey },
        ExpressionAttributeValues: { ':p': statusPartitionKey(taskPartitionKey(owner), 'PENDING') },
      },
      deadline,
    );
    expect(tasks.items).toHaveLength(1); // only the warm-up task
  });

  it('a slow store receives none of the create steps still to come', async () => {
    const sent: { name: string; at: number }[] = [];
    const replies: Record<string, Record<string, unknown>> = {
      UpdateItem: { Attributes: {} },
      Query: { Items: [] },
      BatchGetItem: { Responses: {} },
    };
    const client: AwsJsonCall = async (name) => {
      sent.push({ name, at: Date.now() });
      await settle(DEADLINE_MS * 0.6);
      return replies[name] ?? {};
    };
    const handle = handlerOver(dynamoHttpDocumentOps(client));

    const reply = await handle(createWithKey(`owner-${randomUUID()}`, randomUUID()));
    const answeredAt = Date.now();
    expect(reply.statusCode).toBe(503);
    await settle(DEADLINE_MS * 2);

    expect(sent.map((call) => call.name)).toEqual(['PutItem', 'PutItem']); // claimed, put; never completed
    expect(sent.every((call) => call.at < answeredAt)).toBe(true);
  });
});
