/**
 * The throughput floor: a bare node:http server that makes the same single DynamoDB call per request as
 * the service (the store adapter's own request: same item, same condition, same client with keep-alive),
 * on the same embedded dynalite in its own process, just as `npm start` runs. No gateway, authorizer,
 * routing table, validation or logging. Prints `Floor listening on <url>` when ready.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { deadlineIn, REQUEST_DEADLINE_MS } from '../src/domain/deadline.js';
import { newTask, planTaskChange } from '../src/domain/task.js';
import { parseCreateTask } from '../src/domain/validate.js';
import { ensureTable, startLocalDynamo } from '../src/local/dynamo-local.js';
import { awsLiteDocumentOps, makeAwsLiteDynamo } from '../src/store/aws-lite-ops.js';
import { DynamoTaskStore } from '../src/store/dynamo-task-store.js';

const TABLE = 'tasks';
const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'task-floor-'));
const dynamo = await startLocalDynamo({ path: join(dataDir, 'dynamodb') });
await ensureTable(dynamo.endpoint, TABLE);
const ops = awsLiteDocumentOps(makeAwsLiteDynamo({ region: 'us-east-1', endpoint: dynamo.endpoint }));
const owner = 'floor';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<{ title?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

const server = createServer(async (req, res) => {
  const [path = '', query = ''] = (req.url ?? '').split('?');
  const id = path.split('/')[3];
  // The service's per-request work on the store's side: one deadline, one store bound to it.
  const store = new DynamoTaskStore(ops, TABLE, deadlineIn(REQUEST_DEADLINE_MS));
  try {
    if (req.method === 'GET' && id) send(res, 200, await store.get(owner, id));
    else if (req.method === 'GET') {
      const limit = Number(new URLSearchParams(query).get('limit') ?? 20);
      send(res, 200, (await store.list(owner, { limit })).items);
    } else if (req.method === 'POST') {
      const { title = '' } = await readBody(req);
      // The same defaults the service applies, so both store the same item with the same index attributes.
      const task = newTask(parseCreateTask({ title }), uuidv7(), new Date());
      send(res, 201, await store.create(owner, task));
    } else if (req.method === 'PUT' && id) {
      const { title = '' } = await readBody(req);
      send(res, 200, await store.update(owner, id, planTaskChange({ title }, new Date())));
    } else send(res, 404, { message: 'Not found' });
  } catch (error) {
    send(res, 500, { message: String(error) });
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Floor listening on http://127.0.0.1:${port}/dev`);
});
process.on('SIGTERM', () => {
  server.close();
  void dynamo.close().then(() => process.exit(0));
});
