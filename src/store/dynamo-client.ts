import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * Timeouts and retries are explicit so a slow or unreachable store yields a fast 503, never a request
 * that hangs until the Lambda or gateway timeout: at most 3 attempts of ≤ 800 ms each, plus backoff.
 */
export const STORE_CLIENT_LIMITS = Object.freeze({
  connectionTimeoutMs: 300,
  requestTimeoutMs: 800,
  maxAttempts: 3,
});

export function makeDocumentClient({ region, endpoint }: { region: string; endpoint: string | undefined }) {
  const client = new DynamoDBClient({
    region,
    maxAttempts: STORE_CLIENT_LIMITS.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: STORE_CLIENT_LIMITS.connectionTimeoutMs,
      requestTimeout: STORE_CLIENT_LIMITS.requestTimeoutMs,
    }),
    ...(endpoint && { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
