import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isBinaryMediaType } from '../api/request.js';

/** Identifies the emulated API the way a real one is identified in ARNs and request contexts. */
export interface ApiIdentity {
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
}

export function methodArnOf(api: ApiIdentity, method: string, path: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${api.stage}/${method}${path}`;
}

/** A map keyed by client-chosen names: `__proto__` must be an ordinary key, never the prototype. */
const nullPrototype = (): Record<string, string[]> => Object.create(null);

/** Header maps as API Gateway builds them: names as the client sent them, last value wins in `headers`. */
export function headerMapsOf(req: IncomingMessage, extra: Record<string, string>) {
  const multi = nullPrototype();
  // A repeated header joins the first spelling the client used, whatever the case of the repeat.
  const spelling = new Map<string, string>();
  const pairs = req.rawHeaders;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = pairs[i] as string;
    const value = pairs[i + 1] as string;
    const first = spelling.get(name.toLowerCase());
    if (first === undefined) {
      spelling.set(name.toLowerCase(), name);
      multi[name] = [value];
    } else multi[first]?.push(value);
  }
  for (const [name, value] of Object.entries(extra))
    if (!spelling.has(name.toLowerCase())) multi[name] = [value];
  const single = Object.fromEntries(
    Object.entries(multi).map(([name, values]) => [name, values[values.length - 1] ?? '']),
  );
  return { headers: single, multiValueHeaders: multi };
}

function queryMapsOf(url: URL) {
  const multi = nullPrototype();
  for (const [name, value] of url.searchParams) multi[name] = [...(multi[name] ?? []), value];
  const names = Object.keys(multi);
  if (names.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const single = Object.fromEntries(names.map((name) => [name, multi[name]?.at(-1) ?? '']));
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** `26/Nov/2026:16:14:13 +0000`, the format of `requestContext.requestTime`. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A table, not `toLocaleString`, whose Intl formatting is slow per request (docs/performance.md). */
function clfTime(date: Date): string {
  const month = MONTHS[date.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The request body as a Lambda proxy integration receives it: base64 with `isBase64Encoded` when the
 * Content-Type is one of the API's binaryMediaTypes, else text decoded as UTF-8, bad bytes replaced by
 * U+FFFD, as API Gateway does. `null` when there is no body.
 */
export function integrationBodyOf(raw: Buffer, contentType: string | undefined) {
  if (raw.length === 0) return { body: null, isBase64Encoded: false };
  return isBinaryMediaType(contentType)
    ? { body: raw.toString('base64'), isBase64Encoded: true }
    : { body: raw.toString('utf8'), isBase64Encoded: false };
}

export interface ProxyEventInput {
  readonly api: ApiIdentity;
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly resourcePath: string;
  readonly resourcePathWithinStage: string;
  readonly pathParameters: Readonly<Record<string, string>> | null;
  readonly body: string | null;
  /** True when `body` is base64 (integrationBodyOf); false when absent. */
  readonly isBase64Encoded?: boolean;
  readonly requestId: string;
  readonly receivedAt: Date;
  /** null on a route without an authorizer (the public routes). */
  readonly authorizer: Record<string, string | number | boolean | null> | null;
  readonly forwardedHeaders: Record<string, string>;
}

/** A REST API Lambda-proxy event (payload 1.0), shaped like the real one down to the null maps. */
export function buildProxyEvent(input: ProxyEventInput): APIGatewayProxyEvent {
  const { api, req, url } = input;
  const { headers, multiValueHeaders } = headerMapsOf(req, input.forwardedHeaders);
  const host = headers.Host ?? headers.host ?? 'localhost';
  return {
    resource: input.resourcePath,
    path: input.resourcePathWithinStage,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    ...queryMapsOf(url),
    pathParameters: input.pathParameters ? { ...input.pathParameters } : null,
    stageVariables: null,
    body: input.body,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: input.authorizer,
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      extendedRequestId: input.requestId,
      httpMethod: req.method ?? 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${api.stage}${input.resourcePathWithinStage}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: input.requestId,
      requestTime: clfTime(input.receivedAt),
      requestTimeEpoch: input.receivedAt.getTime(),
      resourceId: input.resourcePath.replace(/\W/g, '').slice(0, 6) || 'root',
      resourcePath: input.resourcePath,
      stage: api.stage,
    },
  };
}

/** A Lambda proxy result API Gateway accepts; anything else is its 502. */
export function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (typeof value !== 'object' || value === null) return false;
  const { statusCode, body, headers, multiValueHeaders, isBase64Encoded } = value as Record<string, unknown>;
  const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
  const isMap = (v: unknown, ok: (x: unknown) => boolean) =>
    v === undefined ||
    v === null ||
    (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(ok));
  return (
    Number.isInteger(statusCode) &&
    (statusCode as number) >= 100 &&
    (statusCode as number) <= 599 &&
    (body === undefined || body === null || typeof body === 'string') &&
    (isBase64Encoded === undefined || typeof isBase64Encoded === 'boolean') &&
    isMap(headers, scalar) &&
    isMap(multiValueHeaders, (v) => Array.isArray(v) && v.every(scalar))
  );
}

/** Enough of a Lambda context for handlers that log it or read the remaining time. */
export function lambdaContext(functionName: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
