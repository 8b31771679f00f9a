/**
 * Each principal's request budget, as both sides answer it: the stage's AWS WAF rate-based rule
 * (infra/rate-limit.ts) and the local gateway's token buckets (src/local/principal-limiter.ts). The limits
 * themselves are settings (PRINCIPAL_RATE_LIMIT and PRINCIPAL_BURST_LIMIT; cdk.json's principalRateLimit
 * and principalBurstLimit); docs/operate.md says why WAF and how the two differ.
 */
import { WAF_RATE_RULE_LIMITS } from '../settings/platform.js';
import { CORS_EXPOSE_HEADERS, gatewayAllowOrigin } from './cors.js';
import { GATEWAY_RESPONSES } from './gateway-responses.js';
import { API_RESPONSE_HEADERS } from './response-headers.js';

export interface PrincipalLimits {
  /** The sustained rate, in requests per second. */
  readonly rateLimit: number;
  /** How many requests may come at once after a quiet spell. */
  readonly burstLimit: number;
}

/** WAF's shortest evaluation window: the nearest it comes to a token bucket's steady refill. */
export const RATE_WINDOW_SECONDS = WAF_RATE_RULE_LIMITS.windowsSeconds[0];

/**
 * The WAF rule's limit per window: the most a token bucket admits in any window of that length (a full
 * burst, then the sustained rate throughout).
 */
export const windowLimitOf = (limits: PrincipalLimits): number =>
  Math.ceil(limits.burstLimit + limits.rateLimit * RATE_WINDOW_SECONDS);

/**
 * The headers of the 429, which WAF can only send as static values: so CORS allows a single origin or
 * `*`, and several origins get no `Access-Control-Allow-Origin` (WAF cannot echo the caller's).
 */
export function principalThrottledHeaders(
  corsOrigins: readonly string[],
  retryAfterSeconds: number,
): Record<string, string> {
  const allow = gatewayAllowOrigin(corsOrigins);
  return {
    'Retry-After': String(retryAfterSeconds),
    'x-amzn-ErrorType': GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.errorType,
    ...API_RESPONSE_HEADERS,
    'Access-Control-Expose-Headers': CORS_EXPOSE_HEADERS.join(', '),
    ...(allow !== 'echo' && { 'Access-Control-Allow-Origin': allow.static }),
    ...(!corsOrigins.includes('*') && { Vary: 'Origin' }),
  };
}
