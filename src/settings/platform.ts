/**
 * Facts of the platform the service runs on, written once: API Gateway's own limits, the authorizer's
 * modes and its one refusal, the stage's rule, the region. Pure data with no imports, so every layer, the
 * CDK app and the web app may import it (see also `variables.ts`).
 */

/** How the authorizer checks a caller: static tokens, or JWTs from an issuer. */
export const AUTH_MODES = ['token', 'jwt'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const isAuthMode = (value: unknown): value is AuthMode => AUTH_MODES.some((mode) => mode === value);

/**
 * API Gateway REST's own limits, which the local gateway emulates and the stack's settings stay within
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 */
export const API_GATEWAY_LIMITS = Object.freeze({
  /** The largest request payload. */
  maxPayloadBytes: 10 * 1024 * 1024,
  /**
   * Lambda's synchronous invoke payload limit (the proxy event as JSON, body included): over it, API
   * Gateway answers 413 before the function runs.
   */
  lambdaInvokePayloadBytes: 6 * 1024 * 1024,
  /** The longest a Lambda integration may take before API Gateway answers 504. */
  integrationTimeoutMs: 29_000,
  /** A TOKEN authorizer's result cache TTL, in seconds: its range and API Gateway's default. */
  authorizerCacheSeconds: Object.freeze({ min: 0, max: 3600, default: 300 }),
  /** The account's throttle per Region (requests per second, burst): no stage may go above them. */
  throttle: Object.freeze({ rateLimit: 10_000, burstLimit: 5_000 }),
});

/**
 * AWS WAF's rate-based rules, which keep each principal's request rate on AWS (infra/rate-limit.ts): the
 * evaluation windows a rule may look back over, and the range of its limit (requests per window)
 * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html).
 */
export const WAF_RATE_RULE_LIMITS = Object.freeze({
  windowsSeconds: Object.freeze([60, 120, 300, 600] as const),
  minLimit: 10,
  maxLimit: 2_000_000_000,
});

/** The one error message a TOKEN authorizer throws to make API Gateway answer 401 (any other is a 500). */
export const UNAUTHORIZED = 'Unauthorized';

/** The Region when the environment names none (`npm start`, tests); Lambda always sets AWS_REGION. */
export const DEFAULT_REGION = 'us-east-1';

/** The stage every URL starts with, as in the original deployment (`…amazonaws.com/dev`). */
export const DEFAULT_STAGE = 'dev';

/**
 * A stage name: the first path segment of every URL (`/dev/tasks`), and part of every name the CDK app
 * derives from it (stacks, the Cognito domain). Lowercase letters, digits and inner hyphens suit all of
 * them; infra/stage-settings.ts also checks the length each derived name allows.
 */
export const STAGE_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
export const STAGE_RULE =
  'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen';

/** A comma-separated list (`a, b,,c`), trimmed, without empty entries: every list setting reads so. */
export const parseList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
