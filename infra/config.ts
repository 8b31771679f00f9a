import type { Node } from 'constructs';
import { DEFAULT_STAGE } from '../src/api/routes.js';

/**
 * What a deployment may vary, read from CDK context (`-c key=value` or cdk.json) once, with the defaults
 * the README documents. Everything else is fixed in code.
 */
export interface ServiceConfig {
  /** The API Gateway stage and the stack-name infix: `TaskService-<stage>-Table`. */
  readonly stage: string;
  /** `dev`-like stages tear down cleanly; `prod` (or any name in `retainStages`) keeps its table. */
  readonly retainData: boolean;
  /** Origins, `*`, or `app` for the web app's distribution (the default when the app is deployed). */
  readonly corsOrigins: readonly string[];
  /** Deploy the task board web app (S3 + CloudFront, infra/web-app.ts). */
  readonly webApp: boolean;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly logRetentionDays: number;
  readonly authMode: 'token' | 'jwt';
  /** The TOKEN authorizer's result cache (0–3600 s). */
  readonly authorizerCacheSeconds: number;
  /** Let API Gateway reject bodies that break the model (its own `Invalid request body`), see README. */
  readonly validateRequestBody: boolean;
  /** Where the Cognito user client may return to (jwt mode). */
  readonly callbackUrls: readonly string[];
}

export const CONFIG_DEFAULTS = Object.freeze({
  stage: DEFAULT_STAGE,
  corsOrigins: '*',
  throttleRateLimit: 100,
  throttleBurstLimit: 200,
  logRetentionDays: 30,
  authMode: 'token',
  authorizerCacheSeconds: 300,
  validateRequestBody: false,
  retainStages: 'prod',
  callbackUrls: 'http://localhost:8080/callback',
  webApp: true,
});

/** The `corsOrigins` entry that stands for the web app's own origin. */
export const WEB_APP_ORIGIN = 'app';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function number(value: unknown, key: string, min: number, max: number): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max)
    throw new Error(`CDK context '${key}' must be a number from ${min} to ${max}, got ${String(value)}`);
  return parsed;
}

/** Reads the context of an app (or any node), failing synth with a message that names the key. */
export function readConfig(node: Node): ServiceConfig {
  const get = (key: keyof typeof CONFIG_DEFAULTS): unknown => node.tryGetContext(key) ?? CONFIG_DEFAULTS[key];
  const stage = String(get('stage'));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(stage))
    throw new Error(`CDK context 'stage' must be letters, digits or _, got '${stage}'`);
  const authMode = String(get('authMode'));
  if (authMode !== 'token' && authMode !== 'jwt')
    throw new Error(`CDK context 'authMode' must be token or jwt, got '${authMode}'`);
  const webApp = String(get('webApp')) === 'true';
  const corsDefault = webApp ? WEB_APP_ORIGIN : CONFIG_DEFAULTS.corsOrigins;
  const corsOrigins = list(String(node.tryGetContext('corsOrigins') ?? corsDefault));
  if (corsOrigins.length === 0) throw new Error("CDK context 'corsOrigins' names no origin");
  if (!webApp && corsOrigins.includes(WEB_APP_ORIGIN))
    throw new Error(`CDK context 'corsOrigins' names '${WEB_APP_ORIGIN}', but webApp is false`);
  return Object.freeze({
    stage,
    retainData: list(String(get('retainStages'))).includes(stage),
    corsOrigins,
    webApp,
    throttleRateLimit: number(get('throttleRateLimit'), 'throttleRateLimit', 1, 10_000),
    throttleBurstLimit: Math.round(number(get('throttleBurstLimit'), 'throttleBurstLimit', 1, 5_000)),
    logRetentionDays: number(get('logRetentionDays'), 'logRetentionDays', 1, 3653),
    authMode,
    authorizerCacheSeconds: number(get('authorizerCacheSeconds'), 'authorizerCacheSeconds', 0, 3600),
    validateRequestBody: String(get('validateRequestBody')) === 'true',
    callbackUrls: list(String(get('callbackUrls'))),
  });
}
