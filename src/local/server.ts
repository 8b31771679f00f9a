/**
 * `npm start`: the whole service on one machine. Embedded dynalite persists under DATA_DIR, the local
 * gateway emulates API Gateway, and the two Lambda entry files are imported exactly as deployed.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { startAppServer } from './app-server.js';
import { makeClientErrorHandler, requestTimeoutOptions } from './client-error.js';
import { ensureTable, startLocalDynamo } from './dynamo-local.js';
import { type AccessLogEntry, createGateway } from './gateway.js';
import { startLocalIssuer } from './issuer.js';
import { makeBodyValidator } from './request-validator.js';
import { readLocalSettings } from './settings.js';

// npm start runs on any supported Node (engines); the SDK's warning about older majors is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const settings = readLocalSettings(process.env);
const dataDir = resolve(settings.dataDir);
// DYNAMODB_ENDPOINT points the server at a store someone else runs (tests stop or stall one under it).
const dynamo = settings.dynamoEndpoint
  ? { endpoint: settings.dynamoEndpoint, close: async () => {} }
  : await startLocalDynamo({ path: join(dataDir, 'dynamodb') });
await ensureTable(dynamo.endpoint, settings.tableName);

// The entry files read their configuration from the environment, as they do in Lambda.
const issuer = settings.authMode === 'jwt' ? await startLocalIssuer({ dataDir }) : undefined;
const generatedToken = settings.authMode === 'token' && !settings.apiToken && !settings.apiTokens;
// Print only a token the server accepts: API_TOKENS overrides API_TOKEN, and jwt mode uses neither.
const usedApiToken = settings.authMode === 'token' && !settings.apiTokens ? settings.apiToken : undefined;
const apiToken = generatedToken ? randomBytes(24).toString('base64url') : usedApiToken;
Object.assign(process.env, {
  TABLE_NAME: settings.tableName,
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
  AUTH_MODE: settings.authMode,
  STAGE: settings.stage, // the metrics' stage dimension, as the CDK stack sets it
  // Indented logs for a person at a terminal; one JSON line each when piped (to jq, a file, a benchmark).
  POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? (process.stdout.isTTY ? 'true' : 'false'),
  POWERTOOLS_LOG_LEVEL: settings.logLevel,
  // Powertools silences metrics in dev mode; locally the EMF lines are the way to see them.
  POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'false',
  ...(apiToken && { API_TOKEN: apiToken }),
  ...(issuer && { JWT_ISSUER: issuer.issuer, JWT_JWKS_URL: issuer.jwksUrl, JWT_AUDIENCE: issuer.audience }),
});
const tasks = await import('../lambda/tasks.js');
const authorizer = await import('../lambda/authorizer.js');

const accessLog = settings.accessLog
  ? (entry: AccessLogEntry) => process.stdout.write(`${JSON.stringify({ type: 'access', ...entry })}\n`)
  : undefined;
const api = { region: 'us-east-1', accountId: '123456789012', apiId: 'local', stage: settings.stage };
const gateway = createGateway({
  api,
  authorizer: authorizer.handler,
  handler: tasks.handler,
  corsOrigins: settings.corsOrigins,
  authorizerCacheTtlSeconds: settings.authorizerCacheTtlSeconds,
  throttle: settings.throttle,
  ...(settings.validateRequestBody && { validateBody: makeBodyValidator() }),
  bodyTimeoutMs: settings.requestTimeoutMs,
  accessLog,
});
// Slow, truncated and unparseable requests get a JSON answer in bounded time, and an access-log line.
const clientErrors = makeClientErrorHandler({
  corsOrigins: settings.corsOrigins,
  timeoutMs: settings.requestTimeoutMs,
  accessLog,
});
const server = createServer(requestTimeoutOptions(settings.requestTimeoutMs), (req, res) => {
  clientErrors.onRequest(req, res);
  void gateway(req, res);
});
server.on('connection', clientErrors.onConnection);
server.on('clientError', clientErrors.onClientError);
server.keepAliveTimeout = 65_000;
await new Promise<void>((done) => server.listen(settings.port, settings.host, done));
const { port } = server.address() as AddressInfo;
const baseUrl = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}/${api.stage}`;

// The web app on its own origin; the API still runs when it cannot (port taken, no dev dependencies).
const app =
  settings.appPort === undefined
    ? undefined
    : await startAppServer({
        host: settings.host,
        port: settings.appPort,
        config: { apiUrl: baseUrl, authMode: settings.authMode },
        corsOrigins: settings.corsOrigins,
        log: (line) => console.log(line),
      }).catch((error: Error) =>
        console.warn(`App: not served (${error.message}); set APP_PORT or APP_PORT=off`),
      );

console.log(`Task API listening on ${baseUrl}`);
if (app) console.log(`App: ${app.url}`);
if (apiToken)
  console.log(`Authorization token${generatedToken ? ' (generated for this run)' : ''}: ${apiToken}`);
if (settings.apiTokens) console.log('Tokens: the principals and tokens in API_TOKENS');
if (issuer)
  console.log(
    `JWT mode: mint a token with  npm run -s token -- --sub alice --scope "tasks/read tasks/write"`,
  );
console.log(`Try: curl -H "Authorization: ${apiToken ?? '<token>'}" ${baseUrl}/tasks`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  server.closeIdleConnections();
  await new Promise<void>((done) => server.close(() => done()));
  await app?.close();
  await issuer?.close();
  await dynamo.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
