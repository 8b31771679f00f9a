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
