/**
 * The throughput floor: a bare node:http server that makes the same single DynamoDB call per request as
 * the service, through the same client (aws-lite, keep-alive), on the same embedded dynalite in its own
 * process, just as `npm start` runs. No gateway, authorizer, routing, validation or logging.
 * Prints `Floor listening on <url>` when ready.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, startLocalDynamo } from '../src/local/dynamo-local.js';
import { awsLiteDocumentOps, makeAwsLiteDynamo } from '../src/store/aws-lite-ops.js';

const TABLE = 'tasks';
const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'task-floor-'));
const dynamo = await startLocalDynamo({ path: join(dataDir, 'dynamodb') });
await ensureTable(dynamo.endpoint, TABLE);
const db = awsLiteDocumentOps(makeAwsLiteDynamo({ region: 'us-east-1', endpoint: dynamo.endpoint }));
const pk = 'T#floor';

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: import('node:http').IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

const server = createServer(async (req, res) => {
  const [path = '', query = ''] = (req.url ?? '').split('?');
  const id = path.split('/')[3];
  try {
    if (req.method === 'GET' && id) {
      send(res, 200, await db.get({ TableName: TABLE, Key: { pk, sk: id } }));
    } else if (req.method === 'GET') {
      const limit = Number(new URLSearchParams(query).get('limit') ?? 20);
      const page = await db.query({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': pk },
        Limit: limit + 1,
      });
      send(res, 200, page.items.slice(0, limit));
    } else if (req.method === 'POST') {
      const item = { pk, sk: randomUUID(), ...(await readBody(req)), createdAt: new Date().toISOString() };
      await db.put({ TableName: TABLE, Item: item });
      send(res, 201, item);
    } else if (req.method === 'PUT' && id) {
      const body = await readBody(req);
      send(
        res,
        200,
        await db.update({
          TableName: TABLE,
          Key: { pk, sk: id },
          UpdateExpression: 'SET title = :t',
          ExpressionAttributeValues: { ':t': String(body.title) },
        }),
      );
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
