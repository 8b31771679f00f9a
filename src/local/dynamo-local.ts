import { once } from 'node:events';
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
import { hostDynalite } from './dynalite-host.js';
import { LOCAL_DEPLOYER_CREDENTIALS } from './local-iam.js';

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
  /** Hold the task function's calls to its role (default on); the bench's bare floor turns it off. */
  readonly guard?: boolean;
}

const endpointOf = (port: number) => `http://127.0.0.1:${port}`;

export async function startLocalDynamo({
  path,
  thread = 'worker',
  guard = true,
}: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (thread === 'inline') {
    const hosted = await hostDynalite({ path, guard });
    return { endpoint: endpointOf(hosted.port), close: hosted.close };
  }
  const worker = new Worker(workerSource(), { eval: true, workerData: { path, guard } });
  const [ready] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'exit').then(([code]) => {
      throw new Error(`dynalite's worker thread exited (${code}) before it listened`);
    }),
  ])) as [{ port: number }];
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
 * The worker's entry: TypeScript, so tsx's loader is registered in the worker first (a worker started
 * from vitest or plain node inherits none; a second registration under tsx is harmless).
 */
function workerSource(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./dynalite-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

/** Creates the table with the same keys and indexes as the CDK stack, unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...LOCAL_DEPLOYER_CREDENTIALS },
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
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
