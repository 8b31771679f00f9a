/**
 * A loopback proxy in front of DynamoDB Local that asks every call for `ReturnConsumedCapacity: INDEXES`
 * and adds up what comes back, per table and per index. The service under measurement is the real one
 * (`npm start` with DYNAMODB_ENDPOINT set to the proxy), so the figures are those of the shipped code
 * path, with nothing in it changed for the benchmark. DynamoDB Local does not check request signatures,
 * so rewriting the body is harmless.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Capacity units consumed, by the table (`table`) and by each index (its name). */
export interface Consumed {
  read: number;
  write: number;
  readonly byIndex: Record<string, { read: number; write: number }>;
}

/** DynamoDB Local reports on-demand units as `CapacityUnits`: reads for a read, writes for a write. */
interface Units {
  CapacityUnits?: number;
}
interface CapacityEntry {
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const MEASURED = new Set([...WRITES, 'GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export const emptyConsumed = (): Consumed => ({ read: 0, write: 0, byIndex: {} });

function add(total: Consumed, name: string, read: number, write: number): void {
  total.read += read;
  total.write += write;
  const entry = total.byIndex[name] ?? { read: 0, write: 0 };
  total.byIndex[name] = { read: entry.read + read, write: entry.write + write };
}

/** Splits one reply's ConsumedCapacity into table and index units. */
function record(total: Consumed, operation: string, entries: CapacityEntry[]): void {
  const split = (units: Units | undefined): [number, number] =>
    WRITES.has(operation) ? [0, units?.CapacityUnits ?? 0] : [units?.CapacityUnits ?? 0, 0];
  for (const entry of entries) {
    add(total, 'table', ...split(entry.Table));
    for (const [index, units] of Object.entries(entry.GlobalSecondaryIndexes ?? {}))
      add(total, index, ...split(units));
  }
}

async function bodyOf(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface CapacityProxy {
  readonly endpoint: string;
  /** Returns what was consumed since the last call, and starts counting afresh. */
  take(): Consumed;
  close(): Promise<void>;
}

export async function startCapacityProxy(upstream: string): Promise<CapacityProxy> {
  let total = emptyConsumed();
  const server = createServer(async (req, res) => {
    try {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body = await bodyOf(req);
      if (MEASURED.has(operation))
        body = Buffer.from(
          JSON.stringify({ ...JSON.parse(body.toString('utf8')), ReturnConsumedCapacity: 'INDEXES' }),
        );
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
          headers[name] = value;
      const reply = await fetch(upstream, { method: req.method ?? 'POST', headers, body });
      const text = await reply.text();
      if (reply.ok && MEASURED.has(operation)) {
        const consumed = (JSON.parse(text) as { ConsumedCapacity?: CapacityEntry | CapacityEntry[] })
          .ConsumedCapacity;
        if (consumed) record(total, operation, Array.isArray(consumed) ? consumed : [consumed]);
      } else if (WRITES.has(operation) && text.includes('ConditionalCheckFailed')) {
        // A refused write (a failed condition) still costs AWS at least 1 WRU; DynamoDB Local reports none.
        add(total, 'table', 0, 1);
      }
      res.writeHead(reply.status, {
        'content-type': reply.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = total;
      total = emptyConsumed();
      return taken;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
