import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { beforeDeadline, type Deadline } from '../../src/domain/deadline.js';
import { type DocumentOps, storeFailureOf } from '../../src/store/document-ops.js';

/**
 * The AWS SDK v3 alternative to `src/store/dynamo-http-ops.ts`, under the names the task entry imports from
 * it: the cold-start benchmark bundles the same handler with this file substituted, to weigh the two
 * clients in full. Never deployed. It passes the same store contract and query-plan tests: point the
 * imports in `test/contract/dynamo-stores.emulators.test.ts` and `test/integration/dynamo-task-store.test.ts`
 * here to check.
 *
 * Timeouts and retries are explicit so a slow or unreachable store yields a fast 503 (or 429): 3 attempts
 * of ≤ 700 ms each and two backoffs of ≤ 150 ms, and the request's deadline aborts whatever is in flight.
 * Without `throwOnRequestTimeout` the SDK only warns when a reply is late, and keeps waiting.
 */
export const STORE_CLIENT_LIMITS = Object.freeze({
  connectionTimeoutMs: 300,
  requestTimeoutMs: 700,
  maxAttempts: 3,
  maxBackoffMs: 150,
});

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

const retryToken = (count: number, delay: number): RetryToken => ({
  getRetryCount: () => count,
  getRetryDelay: () => delay,
});

/**
 * The SDK's standard strategy backs off from 500 ms on throttling, which would outlast the deadline and
 * turn a 429 into a 503. This one retries timeouts, 5xx and throttling alike with short, jittered, capped
 * backoff; the client, told 429 with Retry-After, does the longer waiting.
 */
export const boundedRetryStrategy = {
  acquireInitialRetryToken: async (_scope: string) => retryToken(0, 0),
  async refreshRetryTokenForRetry(token: RetryToken, info: { errorType: string }) {
    const count = token.getRetryCount() + 1;
    if (info.errorType === 'CLIENT_ERROR' || count >= STORE_CLIENT_LIMITS.maxAttempts)
      throw new Error('no retry');
    const ceiling = Math.min(STORE_CLIENT_LIMITS.maxBackoffMs, 50 * 2 ** count);
    return retryToken(count, Math.round(Math.random() * ceiling));
  },
  recordSuccess: (_token: RetryToken) => {},
};

export interface ClientOptions {
  readonly region: string;
  /** A local endpoint (dynalite); undefined means the AWS default for the region. */
  readonly endpoint: string | undefined;
}

export function makeDynamoHttpClient({ region, endpoint }: ClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region,
    maxAttempts: STORE_CLIENT_LIMITS.maxAttempts,
    retryStrategy: boundedRetryStrategy,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: STORE_CLIENT_LIMITS.connectionTimeoutMs,
      requestTimeout: STORE_CLIENT_LIMITS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
    ...(endpoint && { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Maps SDK failures onto the store's error model; the original error is kept as `cause`. */
function translate(error: unknown): never {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  throw storeFailureOf(error, metadata?.httpStatusCode);
}

/** A call that fails as the store's error model says, and at the deadline at the latest. */
const settle = <T>(call: Promise<T>, deadline: Deadline): Promise<T> =>
  beforeDeadline(call.catch(translate), deadline);

/** The document operations over the AWS SDK v3 document client; the deadline aborts the SDK's request. */
export function dynamoHttpDocumentOps(client: DynamoDBDocumentClient): DocumentOps {
  const options = (deadline: Deadline) => ({
    abortSignal: AbortSignal.timeout(Math.max(0, deadline.at - Date.now())),
  });
  return {
    async put(input, deadline) {
      await settle(client.send(new PutCommand(input), options(deadline)), deadline);
    },
    async get(input, deadline) {
      const command = new GetCommand({ ...input, ConsistentRead: true });
      const { Item } = await settle(client.send(command, options(deadline)), deadline);
      return Item;
    },
    async update(input, deadline) {
      const command = new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW' });
      const { Attributes } = await settle(client.send(command, options(deadline)), deadline);
      return Attributes ?? {};
    },
    async query(input, deadline) {
      const reply = await settle(client.send(new QueryCommand(input), options(deadline)), deadline);
      const { Items = [], LastEvaluatedKey } = reply;
      return { items: Items, ...(LastEvaluatedKey && { lastEvaluatedKey: LastEvaluatedKey }) };
    },
    async batchGet({ TableName, Keys }, deadline) {
      const found: Record<string, unknown>[] = [];
      let pending = [...Keys];
      while (pending.length > 0) {
        const command = new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending } } });
        const reply = await settle(client.send(command, options(deadline)), deadline);
        found.push(...(reply.Responses?.[TableName] ?? []));
        pending = reply.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      return found;
    },
  };
}
