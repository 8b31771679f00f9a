import type { HttpMethod } from './routes.js';

export type Headers = Record<string, string>;

/** Request headers a browser may send: CDK's defaults plus the conditional and idempotency headers. */
export const CORS_ALLOW_HEADERS = Object.freeze([
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
]);

/** Response headers browsers may read. */
export const CORS_EXPOSE_HEADERS = Object.freeze([
  'Location',
  'Link',
  'ETag',
  'X-Request-Id',
  'Retry-After',
  'Idempotent-Replayed',
]);

export const CORS_MAX_AGE_SECONDS = 600;

/**
 * The origin part of CORS, shared by the handler, the gateway's own error responses and the preflight.
 * `*` allows any origin (the original's behaviour); a list echoes the caller's origin only when listed.
 */
export function corsHeaders(allowedOrigins: readonly string[], origin: string | undefined): Headers {
  const headers: Headers = { 'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS.join(', ') };
  if (allowedOrigins.includes('*')) headers['Access-Control-Allow-Origin'] = '*';
  else {
    headers.Vary = 'Origin';
    if (origin && allowedOrigins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
  }
  return headers;
}

/**
 * What API Gateway can put in `Access-Control-Allow-Origin` on its own errors (gateway responses). A gateway
 * response cannot choose from a list: it sends a static value or echoes a request header. So `*` and a
 * single origin are sent as they are; several origins are echoed from the caller's `Origin`, whatever it
 * is (the documented gap: those bodies are API Gateway's fixed messages, never task data).
 */
export function gatewayAllowOrigin(allowedOrigins: readonly string[]): { readonly static: string } | 'echo' {
  if (allowedOrigins.includes('*')) return { static: '*' };
  const [only, ...others] = allowedOrigins;
  return only !== undefined && others.length === 0 ? { static: only } : 'echo';
}

/** The CORS headers of API Gateway's own errors, as the stack configures them (gatewayAllowOrigin). */
export function gatewayCorsHeaders(allowedOrigins: readonly string[], origin: string | undefined): Headers {
  const allow = gatewayAllowOrigin(allowedOrigins);
  const headers: Headers = { 'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS.join(', ') };
  if (allow !== 'echo' && allow.static === '*') headers['Access-Control-Allow-Origin'] = '*';
  else {
    headers.Vary = 'Origin';
    const value = allow === 'echo' ? origin : allow.static;
    if (value) headers['Access-Control-Allow-Origin'] = value;
  }
  return headers;
}

/** What the gateway's unauthenticated OPTIONS method answers (CDK's MOCK preflight integration). */
export function preflightHeaders(
  allowedOrigins: readonly string[],
  origin: string | undefined,
  methods: readonly HttpMethod[],
): Headers {
  return {
    ...corsHeaders(allowedOrigins, origin),
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(','),
    'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(','),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
}
