/**
 * The throughput floor: the least a server can do per request on the same store. A bare node:http server
 * whose GET by id is one hand-written GetItem over keep-alive HTTP (no SDK, no signature: dynalite checks
 * that an Authorization header is there, not what it says); lists, creates and updates send the store
 * adapter's own requests (same item, same condition) over that same unsigned transport. dynalite runs as
 * `npm start` runs it (`startLocalDynamo`, on a worker thread), without the role check. No gateway, authorizer,
 * routing table,
 * validation, signing or logging (with FLOOR_GATEWAY=on, the local gateway in front: see `behindGateway`).
 * Prints `Floor listening on <url>` when ready.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { AwsJsonCall } from '../src/aws/aws-json-client.js';
import { deadlineIn, REQUEST_DEADLINE_MS } from '../src/domain/deadline.js';
import { newTask, planTaskChange } from '../src/domain/task.js';
import { defaultListOf } from '../src/domain/task-list.js';
import { parseCreateTask } from '../src/domain/validate.js';
import { ensureTable, startLocalDynamo } from '../src/local/dynamo-local.js';
import { createGateway } from '../src/local/gateway.js';
import { methodArnOf } from '../src/local/proxy-event.js';
import { makeCursorCodec } from '../src/store/cursor.js';
import { dynamoHttpDocumentOps } from '../src/store/dynamo-http-ops.js';
import { DynamoTaskStore } from '../src/store/dynamo-task-store.js';
import { taskPartitionKey } from '../src/store/table-schema.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

const TABLE = 'tasks';
const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'task-floor-'));
const dynamo = await startLocalDynamo({ path: join(dataDir, 'dynamodb'), guard: false });
await ensureTable(dynamo.endpoint, TABLE);
const owner = 'floor';

const store = new URL(dynamo.endpoint);
const agent = new Agent({ keepAlive: true });
const UNSIGNED = {
  'Content-Type': 'application/x-amz-json-1.0',
  Authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'X-Amz-Date': '20260101T000000Z',
};

/** One DynamoDB call: a POST of `payload` with no signature; resolves with the reply's JSON text. */
function post(operation: string, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: store.hostname,
        port: store.port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          ...UNSIGNED,
          'X-Amz-Target': `DynamoDB_20120810.${operation}`,
          'Content-Length': Buffer.byteLength(payload),
        },
      },
      (reply) => {
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (reply.statusCode === 200) resolve(text);
          else reject(Object.assign(new Error(text), { statusCode: reply.statusCode }));
        });
        reply.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const unsignedCall: AwsJsonCall = async (operation, body) =>
  JSON.parse(await post(operation, JSON.stringify(body)));
const ops = dynamoHttpDocumentOps(unsignedCall);

type Wire = { S?: string; N?: string; BOOL?: boolean; NULL?: true; L?: Wire[]; M?: Record<string, Wire> };
/** DynamoDB's attribute values as plain JSON: the types a task's item holds. */
const plain = (value: Wire): unknown =>
  value.S ??
  (value.N !== undefined ? Number(value.N) : undefined) ??
  value.BOOL ??
  (value.L ? value.L.map(plain) : undefined) ??
  (value.M ? Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, plain(v)])) : null);

/** GET by id: one hand-written GetItem, the item's attributes as the body. */
async function getById(id: string): Promise<{ status: number; body: unknown }> {
  const key = JSON.stringify({ pk: { S: taskPartitionKey(owner) }, sk: { S: id } });
  const reply = JSON.parse(
    await post('GetItem', `{"TableName":"${TABLE}","Key":${key},"ConsistentRead":true}`),
  );
  if (!reply.Item) return { status: 404, body: { message: 'Task not found' } };
  const item = Object.fromEntries(
    Object.entries(reply.Item as Record<string, Wire>).map(([k, v]) => [k, plain(v)]),
  );
  return { status: 200, body: item };
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** The floor's work for one request: the one store call, with the service's defaults on a create. */
async function floorWork(
  method: string,
  path: string,
  query: string,
  body: () => Promise<string>,
): Promise<Answer> {
  const id = path.split('/')[3];
  // The service's per-request work on the store's side: one deadline, one store bound to it.
  const store = new DynamoTaskStore(ops, TABLE, deadlineIn(REQUEST_DEADLINE_MS), CURSORS);
  const titleOf = async () => {
    const text = await body();
    return ((text ? JSON.parse(text) : {}) as { title?: string }).title ?? '';
  };
  try {
    if (method === 'GET' && id) return await getById(id);
    if (method === 'GET') {
      const limit = Number(new URLSearchParams(query).get('limit') ?? 20);
      return { status: 200, body: (await store.list(defaultListOf(owner), { limit })).items };
    }
    if (method === 'POST') {
      // The same defaults the service applies, so both store the same item with the same index attributes.
      const task = newTask(parseCreateTask({ title: await titleOf() }), uuidv7(), new Date());
      return { status: 201, body: await store.create(defaultListOf(owner), task) };
    }
    if (method === 'PUT' && id)
      return {
        status: 200,
        body: await store.update(
          defaultListOf(owner),
          id,
          planTaskChange({ title: await titleOf() }, new Date()),
        ),
      };
    return { status: 404, body: { message: 'Not found' } };
  } catch (error) {
    return { status: 500, body: { message: String(error) } };
  }
}
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** The bare floor: node:http straight to the floor's work. */
async function bare(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [path = '', query = ''] = (req.url ?? '').split('?');
  const { status, body } = await floorWork(req.method ?? 'GET', path, query, () => readBody(req));
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * FLOOR_GATEWAY=on: the same work as a Lambda handler behind the local gateway, with an authorizer that
 * allows every request (cached like the real one) and no access log. The breakdown section times it to
 * tell the gateway emulation's own cost from the task function's.
 */
function behindGateway() {
  const api = { region: 'us-east-1', accountId: '123456789012', apiId: 'local', stage: 'dev' };
  return createGateway({
    api,
    corsOrigins: ['*'],
    authorizer: async () => ({
      principalId: owner,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArnOf(api, '*', '/*') }],
      },
    }),
    handler: async (event) => {
      const text = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString()
        : (event.body ?? '');
      const query = new URLSearchParams(
        (event.queryStringParameters as Record<string, string> | null) ?? {},
      ).toString();
      const { status, body } = await floorWork(
        event.httpMethod,
        `/dev${event.path}`,
        query,
        async () => text,
      );
      return {
        statusCode: status,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      };
    },
  });
}

const server = createServer(process.env.FLOOR_GATEWAY === 'on' ? behindGateway() : bare);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Floor listening on http://127.0.0.1:${port}/dev`);
});
process.on('SIGTERM', () => {
  server.close();
  void dynamo.close().then(() => process.exit(0));
});
