import * as z from 'zod';
import { DEFAULT_STAGE } from '../api/routes.js';
import { STAGE_PATTERN, STAGE_RULE } from '../api/stage.js';
import { LOG_FORMATS } from './log-format.js';

/** Local mode's own settings, with the defaults a new user wants. The cloud path never reads these. */
const LocalEnv = z.object({
  /** The stage in every URL (`/dev/tasks`), as the CDK app's context `stage` names the deployed one. */
  STAGE: z.string().regex(STAGE_PATTERN, `must be ${STAGE_RULE}`).default(DEFAULT_STAGE),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** The web app's own origin (src/local/app-server.ts); `off` serves no app. 8080 is the stack's callback. */
  APP_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(8080),
  DATA_DIR: z.string().default('.data'),
  TABLE_NAME: z.string().default('tasks'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AUTH_MODE: z.enum(['token', 'jwt']).default('token'),
  API_TOKEN: z.string().optional(),
  API_TOKENS: z.string().optional(),
  AUTH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  CORS_ALLOWED_ORIGINS: z.string().default('*'),
  THROTTLE_RATE_LIMIT: z.coerce.number().positive().default(10_000),
  THROTTLE_BURST_LIMIT: z.coerce.number().int().positive().default(5_000),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  /** `short`, `json` or `pretty` (src/local/log-format.ts); unset: short at a terminal, JSON when piped. */
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  /** The stage's request validator, off by default as in the CDK stack (context `validateRequestBody`). */
  VALIDATE_REQUEST_BODY: z.enum(['on', 'off']).default('off'),
  /** A request's headers, then its body, must each arrive within this many seconds; else a 408. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(10),
});

export type LocalSettings = ReturnType<typeof readLocalSettings>;

export function readLocalSettings(env: NodeJS.ProcessEnv) {
  const result = LocalEnv.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid local configuration: ${problems}`);
  }
  const e = result.data;
  return Object.freeze({
    stage: e.STAGE,
    port: e.PORT,
    host: e.HOST,
    appPort: e.APP_PORT === 'off' ? undefined : e.APP_PORT,
    dataDir: e.DATA_DIR,
    tableName: e.TABLE_NAME,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    authMode: e.AUTH_MODE,
    apiToken: e.API_TOKEN || undefined,
    apiTokens: e.API_TOKENS || undefined,
    authorizerCacheTtlSeconds: e.AUTH_CACHE_TTL_SECONDS,
    corsOrigins: e.CORS_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    throttle: { rateLimit: e.THROTTLE_RATE_LIMIT, burstLimit: e.THROTTLE_BURST_LIMIT },
    logLevel: e.LOG_LEVEL,
    accessLog: e.ACCESS_LOG === 'on',
    logFormat: e.LOG_FORMAT,
    validateRequestBody: e.VALIDATE_REQUEST_BODY === 'on',
    requestTimeoutMs: Math.round(e.REQUEST_TIMEOUT_SECONDS * 1000),
  });
}
