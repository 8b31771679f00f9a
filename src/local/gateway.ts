// Long on purpose (~280 lines): API Gateway's checks in the order it makes them (route, throttle, identity,
// authorizer, the principal's rate, policy, payload, integration), one request's path read top to bottom;
// each step's rules live in the modules it imports.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders, gatewayCorsHeaders, preflightHeaders } from '../api/cors.js';
import { reasonPhrase } from '../api/error-catalogue.js';
import {
  GATEWAY_RESPONSES,
  type GatewayResponse,
  type GatewayResponseName,
} from '../api/gateway-responses.js';
import { type PrincipalLimits, principalThrottledHeaders } from '../api/rate-limit.js';
import { API_RESPONSE_HEADERS } from '../api/response-headers.js';
import { findResource, matchRoute, ROUTES, type Route } from '../api/routes.js';
import { API_GATEWAY_LIMITS } from '../settings/platform.js';
import { readBody } from './body-reader.js';
import { LOCAL_ANSWERS } from './client-error.js';
import { type Authorizer, makeAuthorizerStep } from './gateway-authorizer.js';
import { PrincipalLimiter } from './principal-limiter.js';
import {
  type ApiIdentity,
  buildProxyEvent,
  integrationBodyOf,
  isProxyResult,
  lambdaContext,
} from './proxy-event.js';
import type { BodyValidator } from './request-validator.js';
import { TokenBucket } from './token-bucket.js';
import { Timeout, withTimeout } from './with-timeout.js';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface AccessLogEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  principalId?: string;
  authorizerCache?: 'hit' | 'miss';
}

export interface GatewayOptions {
  readonly api: ApiIdentity;
  readonly authorizer: Authorizer;
  readonly handler: ProxyHandler;
  readonly routes?: readonly Route[];
  readonly corsOrigins: readonly string[];
  readonly authorizerCacheTtlSeconds?: number;
  /** The TOKEN authorizer's optional identity validation expression. */
  readonly identityValidationExpression?: RegExp;
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Each principal's own budget (the stage's WAF rule on AWS); none when unset. */
  readonly principalLimits?: PrincipalLimits;
  readonly integrationTimeoutMs?: number;
  readonly authorizerTimeoutMs?: number;
  readonly maxPayloadBytes?: number;
  /** How long after its headers a request's body may take to arrive; then a 408 (REQUEST_TIMEOUT_SECONDS). */
  readonly bodyTimeoutMs?: number;
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** The stage's body validation (makeBodyValidator), off unless the stage turns it on, as in the CDK app. */
  readonly validateBody?: BodyValidator;
}

/** How long a refused request waits for its 429 under `npm start` (see where it is used). */
export const THROTTLED_PAUSE_MS = 100;

interface Outcome {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | Buffer;
  principalId?: string;
  authorizerCache?: 'hit' | 'miss';
}

/**
 * Whether Lambda would refuse this event as its invoke payload (over 6 MB as JSON). Escaping grows a body
 * at most sixfold (`\u0000`), so only a body that could pass the limit pays for serialising the event.
 */
function overInvokeLimit(event: APIGatewayProxyEvent): boolean {
  if ((event.body?.length ?? 0) * 6 + 64 * 1024 < API_GATEWAY_LIMITS.lambdaInvokePayloadBytes) return false;
  return Buffer.byteLength(JSON.stringify(event)) > API_GATEWAY_LIMITS.lambdaInvokePayloadBytes;
}

/** Statuses whose responses carry no body and so no Content-Length (RFC 9110 §8.6). */
const BODILESS = new Set([204, 304]);

/**
 * The response headers as API Gateway sends them: it buffers the integration's whole response and states
 * its length, so a client never sees chunked encoding (one write per response, too).
 */
function withContentLength(outcome: Outcome, requestId: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { ...outcome.headers, 'x-amzn-RequestId': requestId };
  if (!BODILESS.has(outcome.status)) headers['Content-Length'] = String(Buffer.byteLength(outcome.body));
  return headers;
}

/**
 * A faithful local stand-in for an API Gateway REST API stage with a TOKEN authorizer and Lambda-proxy
 * integrations. Checks run in API Gateway's order: payload size, route, throttling, identity source,
 * authorizer cache, authorizer, policy, integration. Its own errors carry `x-amzn-ErrorType` and CORS.
 */
export function createGateway(options: GatewayOptions) {
  const routes = options.routes ?? ROUTES;
  const { api } = options;
  const authorizeRequest = makeAuthorizerStep({
    api,
    authorizer: options.authorizer,
    cacheTtlSeconds: options.authorizerCacheTtlSeconds,
    identityValidationExpression: options.identityValidationExpression,
    timeoutMs: options.authorizerTimeoutMs,
  });
  const bucket = options.throttle && new TokenBucket(options.throttle.rateLimit, options.throttle.burstLimit);
  const limiter = options.principalLimits && new PrincipalLimiter(options.principalLimits);
  const maxPayload = options.maxPayloadBytes ?? API_GATEWAY_LIMITS.maxPayloadBytes;
  const stagePrefix = `/${api.stage}`;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;

  /** API Gateway's own error, with the headers the stack's gateway responses add (infra/rest-api.ts). */
  function gatewayError(name: GatewayResponseName, req: IncomingMessage): Outcome {
    const response: GatewayResponse = GATEWAY_RESPONSES[name];
    const signed = response.errorTypeWithAuthorization && req.headers.authorization?.trim();
    return {
      status: response.statusCode,
      headers: {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': (signed && response.errorTypeWithAuthorization) || response.errorType,
        ...API_RESPONSE_HEADERS,
        ...gatewayCorsHeaders(options.corsOrigins, req.headers.origin),
      },
      body: JSON.stringify(response.body),
    };
  }

  /** The WAF rule's 429 (infra/rate-limit.ts), with the wait this principal's bucket computes. */
  function principalThrottled(retryAfterSeconds: number): Outcome {
    return {
      status: GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.statusCode,
      headers: {
        'Content-Type': 'application/json',
        ...principalThrottledHeaders(options.corsOrigins, retryAfterSeconds),
      },
      body: JSON.stringify(GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.body),
    };
  }

  /** The local server's own answer to a body that stalled or stopped short; the rest is never read. */
  function localError(kind: 'timeout' | 'truncated', origin: string | undefined): Outcome {
    const answer = kind === 'timeout' ? LOCAL_ANSWERS.timeout(bodyTimeoutMs / 1000) : LOCAL_ANSWERS.truncated;
    return {
      status: answer.status,
      headers: {
        'Content-Type': 'application/json',
        Connection: 'close',
        ...API_RESPONSE_HEADERS,
        ...corsHeaders(options.corsOrigins, origin),
      },
      body: JSON.stringify({ message: answer.message }),
    };
  }

  async function handle(req: IncomingMessage, requestId: string, receivedAt: Date): Promise<Outcome> {
    const origin = req.headers.origin;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    if (Number(req.headers['content-length'] ?? 0) > maxPayload)
      return gatewayError('REQUEST_TOO_LARGE', req);

    const inStage = url.pathname === stagePrefix || url.pathname.startsWith(`${stagePrefix}/`);
    const path = inStage ? url.pathname.slice(stagePrefix.length) || '/' : undefined;
    // A preflight is the resource's MOCK OPTIONS method: routed, then throttled by the stage like any method.
    const preflightOf = path !== undefined && method === 'OPTIONS' ? findResource(path, routes) : undefined;
    const match = path === undefined || preflightOf ? undefined : matchRoute(method, path, routes);
    if (path === undefined || (!match && !preflightOf))
      return gatewayError('MISSING_AUTHENTICATION_TOKEN', req);
    if (bucket && !bucket.take()) return gatewayError('THROTTLED', req);
    if (!match) {
      const methods = routes.filter((route) => route.resource === preflightOf).map((route) => route.method);
      return {
        status: 204,
        headers: { ...API_RESPONSE_HEADERS, ...preflightHeaders(options.corsOrigins, origin, methods) },
        body: '',
      };
    }

    // Public routes (the document and its docs page) have no authorizer, as in the CDK stack.
    const authorized = match.route.public
      ? undefined
      : await authorizeRequest(req.headers.authorization ?? '', method, path, requestId);
    // On AWS the WAF rule counts every request bearing the token, before API Gateway; here the principal is
    // known after the authorizer (or its cache), so a cached decision is limited all the same. What WAF
    // refuses never reaches API Gateway, so it gives back the stage's token.
    const wait = authorized?.principalId === undefined ? undefined : limiter?.take(authorized.principalId);
    if (authorized && wait !== undefined) {
      bucket?.refund();
      const cache = 'refusal' in authorized ? authorized.authorizerCache : authorized.cache;
      // On AWS a flood is refused by WAF and costs the service nothing; here this event loop answers it,
      // and at full speed a flooder's 429s would slow every other principal. A short pause before each
      // refusal keeps a flooding connection to a few requests a second (docs/operate.md).
      await new Promise((done) => setTimeout(done, THROTTLED_PAUSE_MS));
      return { ...principalThrottled(wait), principalId: authorized.principalId, authorizerCache: cache };
    }
    if (authorized && 'refusal' in authorized) {
      const { refusal, ...who } = authorized;
      return { ...gatewayError(refusal, req), ...who };
    }
    // The authorised caller, for the access log of whatever answer follows.
    const caller = authorized && { principalId: authorized.principalId, authorizerCache: authorized.cache };
    const read = await readBody(req, maxPayload, receivedAt.getTime() + bodyTimeoutMs);
    if (read.kind === 'too-large') return gatewayError('REQUEST_TOO_LARGE', req);
    if (read.kind !== 'complete') return { ...localError(read.kind, origin), ...caller };
    const raw = read.body;
    const requestBody = integrationBodyOf(raw, req.headers['content-type']);
    const bodyText = raw.length > 0 ? raw.toString('utf8') : null;
    if (options.validateBody && !options.validateBody(match.route, req.headers['content-type'], bodyText))
      return { ...gatewayError('BAD_REQUEST_BODY', req), ...caller };
    const authorizerContext = authorized?.context ?? null;
    const event = buildProxyEvent({
      api,
      req,
      url,
      resourcePath: match.route.resource,
      resourcePathWithinStage: path,
      pathParameters: match.pathParameters,
      ...requestBody,
      requestId,
      receivedAt,
      authorizer: authorizerContext,
      forwardedHeaders: {
        'X-Forwarded-For': req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        'X-Forwarded-Port': String(req.socket.localPort ?? ''),
        'X-Forwarded-Proto': 'http',
      },
    });
    if (overInvokeLimit(event)) return { ...gatewayError('INVOKE_PAYLOAD_TOO_LARGE', req), ...caller };
    const timeoutMs = options.integrationTimeoutMs ?? API_GATEWAY_LIMITS.integrationTimeoutMs;
    let response: unknown;
    try {
      response = await withTimeout(
        options.handler(event, lambdaContext('tasks', requestId, timeoutMs)),
        timeoutMs,
      );
    } catch (error) {
      return {
        ...gatewayError(error instanceof Timeout ? 'INTEGRATION_TIMEOUT' : 'BAD_GATEWAY', req),
        ...caller,
      };
    }
    if (!isProxyResult(response)) return { ...gatewayError('BAD_GATEWAY', req), ...caller };
    const headers: Record<string, string | string[]> = {};
    // The integration's own Content-Length never reaches the client: the gateway states the length it sends.
    const ownLength = (name: string) => name.toLowerCase() === 'content-length';
    for (const [name, value] of Object.entries(response.headers ?? {}))
      if (!ownLength(name)) headers[name] = String(value);
    for (const [name, values] of Object.entries(response.multiValueHeaders ?? {}))
      if (!ownLength(name)) headers[name] = values.map(String);
    const body = response.isBase64Encoded
      ? Buffer.from(response.body ?? '', 'base64')
      : (response.body ?? '');
    return { status: response.statusCode, headers, body, ...caller };
  }

  return async function gateway(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    let outcome: Outcome;
    try {
      outcome = await handle(req, requestId, new Date());
    } catch {
      outcome = gatewayError('BAD_GATEWAY', req);
    }
    res.writeHead(outcome.status, reasonPhrase(outcome.status), withContentLength(outcome, requestId));
    res.end(req.method === 'HEAD' ? undefined : outcome.body);
    if (!req.complete) req.resume();
    options.accessLog?.({
      requestId,
      method: req.method ?? '',
      path: req.url ?? '',
      status: outcome.status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...(outcome.principalId && { principalId: outcome.principalId }),
      ...(outcome.authorizerCache && { authorizerCache: outcome.authorizerCache }),
    });
  };
}
