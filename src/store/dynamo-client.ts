import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type DocumentOps, storeFailureOf } from './document-ops.js';

/**
 * Timeouts and retries are explicit so a slow or unreachable store yields a fast 503 (or 429), never a
 * request that hangs until the Lambda or gateway timeout: 3 attempts of ≤ 700 ms each and two backoffs of
 * ≤ 150 ms stay inside the handler's 2.5 s deadline (`api/deadline.ts`). Without `throwOnRequestTimeout`
 * the SDK only warns when a reply is late, and keeps waiting.
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

export function makeDocumentClient({ region, endpoint }: ClientOptions): DynamoDBDocumentClient {
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

/** The document operations over the AWS SDK v3 document client. */
export function sdkDocumentOps(client: DynamoDBDocumentClient): DocumentOps {
  return {
    async put(input) {
      await client.send(new PutCommand(input)).catch(translate);
    },
    async get(input) {
      const { Item } = await client.send(new GetCommand({ ...input, ConsistentRead: true })).catch(translate);
      return Item;
    },
    async update(input) {
      const { Attributes } = await client
        .send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW' }))
        .catch(translate);
      return Attributes ?? {};
    },
    async delete(input) {
      const { Attributes } = await client
        .send(new DeleteCommand({ ...input, ReturnValues: 'ALL_OLD' }))
        .catch(translate);
      return Attributes;
    },
    async query(input) {
      const { Items = [], LastEvaluatedKey } = await client.send(new QueryCommand(input)).catch(translate);
      return { items: Items, ...(LastEvaluatedKey && { lastEvaluatedKey: LastEvaluatedKey }) };
    },
  };
}
