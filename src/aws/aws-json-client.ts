/**
 * One signed request to an AWS service that speaks the JSON protocol (DynamoDB, Secrets Manager): the body
 * is JSON, the operation is the `X-Amz-Target` header, and an error is a JSON body whose `__type` names it.
 *
 * Hand-written over `node:https` because the clients that would do it (the AWS SDK v3, aws-lite,
 * `fetch`-based signers) cost the cold start, as measured in docs/performance.md. The signature itself is
 * the long-standing `aws4` package's, and the DynamoDB marshalling is the SDK's own `@aws-sdk/util-dynamodb`,
 * so what is hand-written here is only the transport.
 */

import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import aws4 from 'aws4';

export interface AwsJsonClientOptions {
  /** The signing name and endpoint prefix: `dynamodb`, `secretsmanager`. */
  readonly service: string;
  readonly region: string;
  /** `X-Amz-Target` is `<targetPrefix>.<Operation>`: `DynamoDB_20120810`, `secretsmanager`. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-<version>`: DynamoDB speaks 1.0, Secrets Manager 1.1. */
  readonly jsonVersion: '1.0' | '1.1';
  /** A local endpoint (dynalite, a test server); undefined means the AWS endpoint for the region. */
  readonly endpoint?: string | undefined;
}

/** The service answered with an error: `name` is the short error type (`ConditionalCheckFailedException`). */
export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/**
 * Calls one operation; rejects with AwsServiceError on an error reply, or the transport's own error. With
 * `until` (epoch milliseconds), a request still unanswered then is abandoned: its socket is destroyed and
 * the call rejects with a `TimeoutError` (code `ETIMEDOUT`).
 */
export type AwsJsonCall = (
  operation: string,
  body: object,
  until?: number,
) => Promise<Record<string, unknown>>;

const timedOut = () =>
  Object.assign(new Error('No reply before the deadline'), { name: 'TimeoutError', code: 'ETIMEDOUT' });

interface Transport {
  send(options: RequestOptions, done: (reply: IncomingMessage) => void): ClientRequest;
  readonly agent: RequestOptions['agent'];
}

/**
 * Loaded on the first request, as aws-lite did, since only requests need it; by `getBuiltinModule`, not an
 * ESM import, which would load more (docs/performance.md). `node:http` serves local endpoints.
 */
function transportFor(url: URL): Transport {
  const http = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http');
  return { send: http.request, agent: new http.Agent({ keepAlive: true }) };
}

/** A JSON error body's `__type` is `com.amazonaws.dynamodb.v20120810#ThrottlingException` or the bare name. */
function serviceErrorOf(status: number, text: string): AwsServiceError {
  let parsed: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): keep the status, name it by that.
  }
  const type = typeof parsed.__type === 'string' ? parsed.__type : `Http${status}`;
  const message = parsed.message ?? parsed.Message ?? text.slice(0, 200);
  return new AwsServiceError(type.slice(type.lastIndexOf('#') + 1), String(message), status);
}

/**
 * What the functions sign with at a local endpoint, which takes any key: the local store knows the
 * functions' calls by it and holds them to their role (src/local/local-iam.ts).
 */
export const LOCAL_FUNCTION_CREDENTIALS = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local' });

export function makeAwsJsonClient(options: AwsJsonClientOptions): AwsJsonCall {
  const url = new URL(options.endpoint ?? `https://${options.service}.${options.region}.amazonaws.com`);
  let transport: Transport | undefined;
  // Credentials are the function role's, from the environment Lambda sets; a local endpoint takes any.
  const credentials = options.endpoint ? { ...LOCAL_FUNCTION_CREDENTIALS } : undefined;

  const attempt = (operation: string, payload: string, until: number | undefined) => {
    const signed = aws4.sign(
      {
        host: url.host,
        path: '/',
        method: 'POST',
        service: options.service,
        region: options.region,
        headers: {
          'Content-Type': `application/x-amz-json-${options.jsonVersion}`,
          'X-Amz-Target': `${options.targetPrefix}.${operation}`,
        },
        body: payload,
      },
      credentials,
    );
    transport ??= transportFor(url);
    const { send, agent } = transport;
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = send(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: '/',
          method: 'POST',
          headers: signed.headers as Record<string, string>,
          agent,
        },
        (reply) => {
          const chunks: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => chunks.push(chunk));
          reply.on('error', reject);
          reply.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = reply.statusCode ?? 0;
            if (status !== 200) return reject(serviceErrorOf(status, text));
            try {
              resolve(JSON.parse(text));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      // A plain timer, not an AbortSignal, which costs more per request (docs/performance.md).
      const timer =
        until === undefined ? undefined : setTimeout(() => req.destroy(timedOut()), until - Date.now());
      req.on('close', () => clearTimeout(timer));
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  };

  return async (operation, body, until) => {
    const payload = JSON.stringify(body);
    try {
      return await attempt(operation, payload, until);
    } catch (error) {
      // A kept-alive socket the server closed while the function was frozen: the request never reached
      // DynamoDB, so sending it once more on a fresh socket is not a retry (Node's documented pattern).
      const { reusedSocket, code } = error as { reusedSocket?: boolean; code?: string };
      if (!reusedSocket || code !== 'ECONNRESET') throw error;
      return attempt(operation, payload, until);
    }
  };
}
