/**
 * Composition root of the task Lambda. CDK bundles this file, and `npm start` imports this same file, so
 * the local stack runs exactly the code that is deployed. Everything here runs once per container.
 *
 * DynamoDB is reached through a small signed client over `node:https` rather than the AWS SDK or aws-lite:
 * it keeps the bundle and its cold start far smaller (docs/performance.md; the SDK variant the cold-start
 * benchmark weighs it against is `bench/variants/`). The client is made once; each request gets stores
 * bound to its deadline (`domain/deadline.ts`).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { v7 as uuidv7 } from 'uuid';
import { makeHandler } from '../api/handler.js';
import { makeSecretsManagerFetch } from '../auth/secret-tokens.js';
import { loadTaskFunctionConfig } from '../config.js';
import type { Deadline } from '../domain/deadline.js';
import { ValidationError } from '../domain/errors.js';
import { makeTaskService, type TaskService } from '../domain/task-service.js';
import { type CursorCodec, makeCursorCodec } from '../store/cursor.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../store/dynamo-http-ops.js';
import { DynamoIdempotencyStore } from '../store/dynamo-idempotency-store.js';
import { DynamoTaskStore } from '../store/dynamo-task-store.js';
import { type StoreCall, timedDocumentOps, withStoreCalls } from './store-calls.js';
import { METRIC, makeTelemetry, type Summary, type Telemetry } from './telemetry.js';

const config = loadTaskFunctionConfig(process.env);
const telemetry = makeTelemetry('tasks');
const { logger } = telemetry;
const db = timedDocumentOps(
  dynamoHttpDocumentOps(makeDynamoHttpClient({ region: config.region, endpoint: config.dynamoEndpoint })),
  (call) => telemetry.timeStoreCall(call.ms),
);

/**
 * The cursor key: read from its secret on the first list that needs it (most requests never do), once
 * per container; a failed read is retried by the next list, and answers this one with a 500.
 */
function cursorCodecOf(key: (typeof config)['cursorKey']): CursorCodec {
  if ('value' in key) return makeCursorCodec(Buffer.from(key.value));
  const fetchSecret = makeSecretsManagerFetch({ region: config.region });
  return makeCursorCodec(async () => Buffer.from(await fetchSecret(key.secretArn)));
}
const cursors = cursorCodecOf(config.cursorKey);

/** Counts what the business cares about where it happens: a task made, a task done. */
function countOutcomes(service: TaskService, { count }: Telemetry): TaskService {
  return {
    ...service,
    async createTask(...args) {
      const result = await service.createTask(...args);
      if (!result.replayed) count(METRIC.tasksCreated);
      return result;
    },
    async updateTask(ownerId, taskId, patch, condition) {
      const task = await service.updateTask(ownerId, taskId, patch, condition);
      // completedAt is set only when absent, to this write's updatedAt: equal means this write completed it.
      if (task.status === 'DONE' && task.completedAt === task.updatedAt) count(METRIC.tasksCompleted);
      return task;
    },
  };
}

/** The service for one request: its stores carry the request's deadline into every DynamoDB call. */
const serviceFor = (deadline: Deadline): TaskService =>
  countOutcomes(
    makeTaskService({
      store: new DynamoTaskStore(db, config.tableName, deadline, cursors),
      records: new DynamoIdempotencyStore(db, config.tableName, deadline),
      now: () => new Date(),
      newId: uuidv7,
    }),
    telemetry,
  );
const handleRequest = makeHandler({
  serviceFor,
  corsOrigins: config.corsOrigins,
  logger,
  observer: {
    onRoute: (operationId, principalId) => {
      logger.appendKeys({ route: operationId, principalId });
    },
    onError: (error) => {
      if (error instanceof ValidationError) telemetry.count(METRIC.validationFailures);
    },
  },
});

/** One line per request: the correlation id, route and principal, each DynamoDB call and its time, metrics. */
function summarize({ result, calls }: { result: APIGatewayProxyResult; calls: StoreCall[] }): Summary {
  const dynamodbMs = Math.round(calls.reduce((sum, call) => sum + call.ms, 0) * 10) / 10;
  return ['Request handled', { statusCode: result.statusCode, dynamodbMs, dynamodb: calls }];
}

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const { result } = await telemetry.invoke(
    context,
    () => {
      logger.appendKeys({ correlationId: event.requestContext.requestId });
      return withStoreCalls(() => handleRequest(event));
    },
    summarize,
  );
  return result;
}
