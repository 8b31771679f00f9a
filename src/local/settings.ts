import { envReader, VARIABLES as V } from '../settings/variables.js';

/**
 * Local mode's own settings, with the defaults a new user wants, read through the same variables table as
 * the Lambda functions (src/settings/variables.ts). The cloud path never reads these.
 */
export function readLocalSettings(env: Readonly<Record<string, string | undefined>>) {
  const read = envReader(env, 'local');
  const appPort = read.value(V.appPort);
  return read.settle({
    /** The stage in every URL (`/dev/tasks`), as the CDK app's context `stage` names the deployed one. */
    stage: read.value(V.stage),
    port: read.value(V.port),
    host: read.value(V.host),
    /** The web app's own origin (src/local/app-server.ts); `off` serves no app. 8080 is the stack's callback. */
    appPort: appPort === 'off' ? undefined : appPort,
    dataDir: read.value(V.dataDir),
    tableName: read.value(V.localTableName),
    dynamoEndpoint: read.optional(V.dynamoEndpoint),
    authMode: read.value(V.authMode),
    apiToken: read.optional(V.apiToken),
    apiTokens: read.optional(V.apiTokens),
    authorizerCacheTtlSeconds: read.value(V.authCacheTtlSeconds),
    corsOrigins: read.value(V.corsOrigins),
    throttle: { rateLimit: read.value(V.throttleRateLimit), burstLimit: read.value(V.throttleBurstLimit) },
    /** Each principal's own token bucket, applied after the authorizer (src/local/principal-limiter.ts). */
    principalLimits: {
      rateLimit: read.value(V.principalRateLimit),
      burstLimit: read.value(V.principalBurstLimit),
    },
    logLevel: read.value(V.logLevel),
    accessLog: read.value(V.accessLog),
    /** `short`, `json` or `pretty` (src/local/log-format.ts); unset: short at a terminal, JSON when piped. */
    logFormat: read.optional(V.logFormat),
    /** The stage's request validator, off by default as in the CDK stack (context `validateRequestBody`). */
    validateRequestBody: read.value(V.validateRequestBody),
    /** A request's headers, then its body, must each arrive within this many seconds; else a 408. */
    requestTimeoutMs: Math.round(read.value(V.requestTimeoutSeconds) * 1000),
  });
}
