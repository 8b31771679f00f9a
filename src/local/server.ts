/**
 * `npm start`: the whole service on one machine. Embedded dynalite persists under DATA_DIR, the local
 * gateway emulates API Gateway, and the two Lambda entry files are imported exactly as deployed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_REGION } from '../settings/platform.js';
import { VARIABLES as V } from '../settings/variables.js';
import { startAppServer } from './app-server.js';
import { makeClientErrorHandler, requestTimeoutOptions } from './client-error.js';
import { DataDirInUseError, lockDataDir } from './data-lock.js';
import { ensureTable, startLocalDynamo } from './dynamo-local.js';
import { createGateway } from './gateway.js';
import { LOCAL_CLIENT_ID, startLocalIssuer } from './issuer.js';
import { KEPT_SECRETS, keptSecret } from './kept-secrets.js';
import { inProcessPurger } from './list-purger.js';
import { accessLineOf, logFormatOf, telemetryEnv } from './log-format.js';
import { makeBodyValidator } from './request-validator.js';
import { readLocalSettings } from './settings.js';

/** A start that cannot go on for a reason the user can fix: one line on stderr, no stack trace, exit 1. */
function exitWith(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

// npm start runs on any supported Node (engines); the SDK's warning about older majors is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const settings = (() => {
  try {
    return readLocalSettings(process.env);
  } catch (error) {
    return exitWith((error as Error).message);
  }
})();
const dataDir = resolve(settings.dataDir);
const shownDataDir = relative(process.cwd(), dataDir) || '.';
try {
  lockDataDir(dataDir, shownDataDir); // released when the process exits
} catch (error) {
  if (error instanceof DataDirInUseError) exitWith(error.message);
  throw error;
}
// DYNAMODB_ENDPOINT points the server at a store someone else runs (tests stop or stall one under it).
const dynamo = settings.dynamoEndpoint
  ? { endpoint: settings.dynamoEndpoint, close: async () => {} }
  : await startLocalDynamo({ path: join(dataDir, 'dynamodb') });
const { upgraded } = await ensureTable(dynamo.endpoint, settings.tableName, { backupDir: dataDir });
if (upgraded !== undefined)
  console.log(`Upgraded the table in ${shownDataDir} to today's indexes: ${upgraded} items carried over`);

// The entry files read their configuration from the environment, as they do in Lambda.
const issuer = settings.authMode === 'jwt' ? await startLocalIssuer({ dataDir }) : undefined;
const generatedToken = settings.authMode === 'token' && !settings.apiToken && !settings.apiTokens;
// Print only a token the server accepts: API_TOKENS overrides API_TOKEN, and jwt mode uses neither.
const usedApiToken = settings.authMode === 'token' && !settings.apiTokens ? settings.apiToken : undefined;
const apiToken = generatedToken ? keptSecret(dataDir, KEPT_SECRETS.token) : usedApiToken;
const logFormat = logFormatOf(settings.logFormat, process.stdout.isTTY);
const telemetry = telemetryEnv(logFormat, settings.logLevel);
// One Region for the functions and the gateway's method ARNs.
const region = process.env[V.region.name] || DEFAULT_REGION;
Object.assign(process.env, {
  [V.tableName.name]: settings.tableName,
  [V.cursorKey.name]: keptSecret(dataDir, KEPT_SECRETS.cursorKey),
  [V.dynamoEndpoint.name]: dynamo.endpoint,
  [V.region.name]: region,
  [V.authMode.name]: settings.authMode,
  [V.stage.name]: settings.stage, // the metrics' stage dimension, as the CDK stack sets it
  ...telemetry,
  [V.metricsDisabled.name]: process.env[V.metricsDisabled.name] ?? telemetry[V.metricsDisabled.name],
  ...(apiToken && { [V.apiToken.name]: apiToken }),
  ...(issuer && {
    [V.jwtIssuer.name]: issuer.issuer,
    [V.jwtJwksUrl.name]: issuer.jwksUrl,
    [V.jwtAudience.name]: issuer.audience,
    // The app client is checked as on AWS (JWT_CLIENT_IDS), besides the audience.
    [V.jwtClientIds.name]: LOCAL_CLIENT_ID,
  }),
});
const tasks = await import('../lambda/tasks.js');
const authorizer = await import('../lambda/authorizer.js');
// No DynamoDB stream here: a deleted list's tasks are purged in this process, by the purge function's code.
const purger = inProcessPurger({
  endpoint: dynamo.endpoint,
  region,
  tableName: settings.tableName,
  log: (message, fields) =>
    process.stdout.write(`${JSON.stringify({ level: 'INFO', message, ...fields })}\n`),
});
tasks.listPurger.listDeleted = purger.listDeleted;

const accessLine = accessLineOf(logFormat);
const accessLog = settings.accessLog
  ? (entry: Parameters<typeof accessLine>[0]) => process.stdout.write(`${accessLine(entry)}\n`)
  : undefined;
const api = { region, accountId: '123456789012', apiId: 'local', stage: settings.stage };
const gateway = createGateway({
  api,
  authorizer: authorizer.handler,
  handler: tasks.handler,
  corsOrigins: settings.corsOrigins,
  authorizerCacheTtlSeconds: settings.authorizerCacheTtlSeconds,
  throttle: settings.throttle,
  principalLimits: settings.principalLimits,
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
await new Promise<void>((done) => {
  const refused = (error: NodeJS.ErrnoException) =>
    exitWith(
      error.code === 'EADDRINUSE'
        ? `PORT ${settings.port} on ${settings.host} is in use (another npm start?): set PORT to a free port, or PORT=0 for any`
        : `cannot listen on ${settings.host} port ${settings.port} (${error.code ?? error.message}): set HOST and PORT`,
    );
  server.once('error', refused);
  server.listen(settings.port, settings.host, () => {
    server.off('error', refused);
    done();
  });
});
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
  console.log(
    `Authorization token${generatedToken ? ` (kept in ${join(shownDataDir, KEPT_SECRETS.token.file)})` : ''}: ${apiToken}`,
  );
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
  // A purge under way finishes first (up to 10 s); one cut short leaves tasks no request can reach.
  await Promise.race([purger.idle(), new Promise((done) => setTimeout(done, 10_000).unref())]);
  await dynamo.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
