import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import type { GatewayResponseName } from '../api/gateway-responses.js';
import { API_GATEWAY_LIMITS, UNAUTHORIZED } from '../settings/platform.js';
import { AuthorizerCache } from './authorizer-cache.js';
import { evaluatePolicy, isPolicyDocument, type PolicyDocumentShape } from './iam-policy.js';
import { type ApiIdentity, lambdaContext, methodArnOf } from './proxy-event.js';
import { Timeout, withTimeout } from './with-timeout.js';

export type Authorizer = (
  event: APIGatewayTokenAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;

export interface AuthorizerStepOptions {
  readonly api: ApiIdentity;
  readonly authorizer: Authorizer;
  readonly cacheTtlSeconds?: number;
  /** The TOKEN authorizer's optional identity validation expression. */
  readonly identityValidationExpression?: RegExp;
  readonly timeoutMs?: number;
}

/** What the authorizer answered, validated; this is what the cache holds. */
interface AuthorizerDecision {
  readonly principalId: string;
  readonly policy: PolicyDocumentShape;
  readonly context: Readonly<Record<string, string | number | boolean>>;
}

/** The caller may pass: its principal and the context the integration receives. */
export interface Authorized {
  readonly principalId: string;
  readonly cache: 'hit' | 'miss';
  readonly context: Record<string, string | number | boolean | null>;
}

/** The caller may not: the gateway response to answer, and who was refused when the authorizer said so. */
export interface Refused {
  readonly refusal: GatewayResponseName;
  readonly principalId?: string;
  readonly authorizerCache?: 'hit' | 'miss';
}

function contextValuesOk(context: unknown): context is Record<string, string | number | boolean> {
  if (context === undefined || context === null) return true;
  if (typeof context !== 'object' || Array.isArray(context)) return false;
  return Object.values(context).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

/**
 * API Gateway's TOKEN authorizer step: the identity source, the authorizer (or its cache, keyed by the
 * token and holding the policy) and the policy evaluated against this request's method ARN, in that order.
 */
export function makeAuthorizerStep(options: AuthorizerStepOptions) {
  const { api } = options;
  const cache = new AuthorizerCache<AuthorizerDecision>(
    options.cacheTtlSeconds ?? API_GATEWAY_LIMITS.authorizerCacheSeconds.default,
  );
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function authorize(token: string, methodArn: string, requestId: string) {
    const cached = cache.get(token);
    if (cached) return { result: cached, cache: 'hit' as const, latencyMs: 0 };
    const started = performance.now();
    const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', authorizationToken: token, methodArn };
    const invocation = lambdaContext('authorizer', requestId, timeoutMs);
    const result = await withTimeout(options.authorizer(event, invocation), timeoutMs);
    const policy: unknown = result?.policyDocument;
    const context: unknown = result?.context;
    const wellFormed =
      typeof result === 'object' &&
      result !== null &&
      typeof result.principalId === 'string' &&
      isPolicyDocument(policy) &&
      contextValuesOk(context);
    if (!wellFormed) throw new Error('Malformed authorizer response');
    const decision: AuthorizerDecision = { principalId: result.principalId, policy, context: context ?? {} };
    cache.set(token, decision);
    return { result: decision, cache: 'miss' as const, latencyMs: Math.round(performance.now() - started) };
  }

  return async function authorizeRequest(
    token: string,
    method: string,
    path: string,
    requestId: string,
  ): Promise<Authorized | Refused> {
    if (token.trim() === '') return { refusal: 'UNAUTHORIZED' };
    if (options.identityValidationExpression && !options.identityValidationExpression.test(token)) {
      return { refusal: 'UNAUTHORIZED' };
    }
    const methodArn = methodArnOf(api, method, path);
    let authorization: Awaited<ReturnType<typeof authorize>>;
    try {
      authorization = await authorize(token, methodArn, requestId);
    } catch (error) {
      const unauthorized =
        error instanceof Error && error.message === UNAUTHORIZED && !(error instanceof Timeout);
      return { refusal: unauthorized ? 'UNAUTHORIZED' : 'AUTHORIZER_CONFIGURATION_ERROR' };
    }
    const { result } = authorization;
    const decision = evaluatePolicy(result.policy, methodArn);
    const who = { principalId: result.principalId, authorizerCache: authorization.cache };
    if (decision === 'explicit-deny') return { refusal: 'EXPLICIT_DENY', ...who };
    if (decision === 'implicit-deny') return { refusal: 'ACCESS_DENIED', ...who };
    return {
      principalId: result.principalId,
      cache: authorization.cache,
      context: {
        ...Object.fromEntries(Object.entries(result.context).map(([k, v]) => [k, String(v)])),
        principalId: result.principalId,
        integrationLatency: authorization.latencyMs,
      },
    };
  };
}
