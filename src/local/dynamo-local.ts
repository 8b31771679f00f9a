import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_REGION } from '../settings/platform.js';
import { INDEXES, TABLE_KEYS } from '../store/table-schema.js';
import { LOCAL_DEPLOYER_CREDENTIALS } from './local-iam.js';
import { needsRebuild, rebuildTable } from './table-upgrade.js';

/** The DynamoDB-compatible store for local mode: dynalite, on disk (or in memory when no path is given). */
export interface LocalDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  readonly path?: string;
  /**
   * `worker` (the default): on a worker thread of its own, so the store's work runs beside the gateway's
   * and the functions' on another core rather than taking turns with them on this one
   * (docs/performance.md). `inline`: on this thread.
   */
  readonly thread?: 'worker' | 'inline';
  /**
   * Hold the task function's calls to its role, as IAM does on AWS (src/local/local-iam.ts); on by
   * default, off for the bench's bare floor.
   */
  readonly guard?: boolean;
}

const endpointOf = (port: number) => `http://127.0.0.1:${port}`;

export async function startLocalDynamo({
  path,
  thread = 'worker',
  guard = true,
}: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (thread === 'inline') {
    // Imported here: with the default, dynalite loads on its own thread only.
    const { hostDynalite } = await import('./dynalite-host.js');
    const hosted = await hostDynalite({ path });
    if (guard) (await import('./local-iam.js')).guardDynalite(hosted.server);
    return { endpoint: endpointOf(hosted.port), close: hosted.close };
  }
  const worker = new Worker(workerSource(), { eval: true, workerData: { path, guard }, execArgv: [] });
  const [ready] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'exit').then(([code]) => {
      throw new Error(`dynalite's worker thread exited (${code}) before it listened`);
    }),
  ])) as [{ port: number }];
  worker.on('error', (error) => {
    throw error; // the store is gone: so is the server, loudly
  });
  return {
    endpoint: endpointOf(ready.port),
    close: async () => {
      worker.postMessage('close');
      await once(worker, 'message'); // closed: LevelDB has written its files
      await worker.terminate();
    },
  };
}

/**
 * The worker's code. It loads `dynalite-host.ts` with Node's own type stripping, without the TypeScript
 * loader `npm start` runs under (execArgv `[]`): a worker with tsx starts several times slower, which
 * matters when tests start servers side by side. Should that module one day import others by their `.js`
 * names, which only tsx maps to `.ts`, the worker registers tsx and loads it again. The role check
 * (`local-iam.ts`) does import the service's modules, so it loads through tsx, while dynalite opens.
 */
function workerSource(): string {
  const host = JSON.stringify(new URL('./dynalite-host.ts', import.meta.url).href);
  const iam = JSON.stringify(new URL('./local-iam.ts', import.meta.url).href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `const { parentPort, workerData } = require('node:worker_threads');
const withTsx = (url) => import(${tsx}).then((tsx) => { tsx.register(); return import(url); });
const guarding = workerData.guard ? withTsx(${iam}) : Promise.resolve(undefined);
import(${host})
  .catch(() => withTsx(${host}))
  .then(({ hostDynalite }) => Promise.all([hostDynalite(workerData), guarding]))
  .then(([hosted, iam]) => {
    iam?.guardDynalite(hosted.server);
    parentPort.postMessage({ port: hosted.port });
    parentPort.once('message', () => hosted.close().then(() => parentPort.postMessage({ closed: true })));
  });`;
}

/**
 * Creates the table with the same keys and indexes as the CDK stack, unless it exists. With `backupDir`
 * (`npm start`: the DATA_DIR), a table an earlier version made with other indexes is rebuilt with today's
 * and its items upgraded (`table-upgrade.ts`), the backup kept there meanwhile. Answers how many items
 * were carried over, when it did.
 */
export async function ensureTable(
  endpoint: string,
  tableName: string,
  { backupDir }: { backupDir?: string } = {},
): Promise<{ upgraded?: number }> {
  const client = new DynamoDBClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...LOCAL_DEPLOYER_CREDENTIALS },
  });
  const definition = tableDefinition(tableName);
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName })).then(
      ({ Table }) => Table,
      (error: unknown) => {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      },
    );
    if (backupDir !== undefined) {
      const backupPath = join(backupDir, `${tableName}.upgrade.json`);
      if (existsSync(backupPath) || (existing && needsRebuild(existing, definition))) {
        const { items } = await rebuildTable(client, definition, backupPath, existing);
        return { upgraded: items };
      }
    }
    if (!existing) await client.send(new CreateTableCommand(definition));
    return {};
  } finally {
    client.destroy();
  }
}

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const indexes = Object.values(INDEXES);
  const attributes = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const index of indexes) attributes.add(index.partitionKey).add(index.sortKey);
  const keySchema = (hash: string, range: string) => [
    { AttributeName: hash, KeyType: 'HASH' as const },
    { AttributeName: range, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keySchema(TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey),
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: index.projection },
    })),
  };
}
