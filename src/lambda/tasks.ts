/**
 * Composition root of the task Lambda. CDK bundles this file, and `npm start` imports this same file, so
 * the local stack runs exactly the code that is deployed. Everything here runs once per container.
 *
 * DynamoDB is reached through the small signed client of `aws/` (why not the AWS SDK: docs/performance.md).
 * The client is made once; each request gets stores bound to its deadline (`domain/deadline.ts`).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { v7 as uuidv7 } from 'uuid';
import { makeHandler, type Services } from '../api/handler.js';
import { makeSecretsManagerFetch } from '../auth/secret-tokens.js';
import type { Deadline } from '../domain/deadline.js';
import { ValidationError } from '../domain/errors.js';
import { makeListService } from '../domain/list-service.js';
import type { ListPurger } from '../domain/list-store.js';
import { makeTaskService, type TaskOutcome } from '../domain/task-service.js';
import { loadTaskFunctionConfig } from '../settings/function-env.js';
import { type CursorCodec, makeCursorCodec } from '../store/cursor.js';
import { DynamoAmountCounter } from '../store/dynamo-amount-counter.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../store/dynamo-http-ops.js';
import { DynamoIdempotencyStore } from '../store/dynamo-idempotency-store.js';
import { DynamoListStore } from '../store/dynamo-list-store.js';
import { DynamoTaskStore } from '../store/dynamo-task-store.js';
import { type StoreCall, timedDocumentOps } from './store-calls.js';
import { METRIC, type MetricName, makeTelemetry, type Summary } from './telemetry.js';

const config = loadTaskFunctionConfig(process.env);
const telemetry = makeTelemetry('tasks');
const { logger } = telemetry;
const db = dynamoHttpDocumentOps(
  makeDynamoHttpClient({ region: config.region, endpoint: config.dynamoEndpoint }),
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

/** The metric each outcome the service reports is counted as. */
const OUTCOME_METRICS = {
  created: METRIC.tasksCreated,
  completed: METRIC.tasksCompleted,
} as const satisfies Record<TaskOutcome, MetricName>;
const onOutcome = (outcome: TaskOutcome) => telemetry.count(OUTCOME_METRICS[outcome]);

/**
 * Who purges a deleted list's tasks. On AWS nobody here: the table's stream starts the purge function
 * (src/lambda/purge.ts), and work left running after a Lambda answers would be frozen mid-way. `npm start`,
 * which has no stream, sets `listDeleted` to run the same purge code in its own process.
 */
export const listPurger: { listDeleted: ListPurger['listDeleted'] } = { listDeleted: () => undefined };

/**
 * The services for one request: their stores carry the request's deadline into every DynamoDB call and
 * time each call into the request's own list (both handed down, never ambient).
 */
function servicesFor(deadline: Deadline, calls: StoreCall[]): Services {
  const ops = timedDocumentOps(db, (call) => {
    calls.push(call);
    telemetry.timeStoreCall(call.ms);
  });
  const now = () => new Date();
  return {
    tasks: makeTaskService({
      store: new DynamoTaskStore(ops, config.tableName, deadline, cursors),
      idempotency: new DynamoIdempotencyStore(ops, config.tableName, deadline),
      counts: new DynamoAmountCounter(ops, config.tableName, deadline),
      now,
      newId: uuidv7,
      onOutcome,
    }),
    lists: makeListService({
      lists: new DynamoListStore(ops, config.tableName, deadline, cursors),
      purger: { listDeleted: (listId) => listPurger.listDeleted(listId) },
      now,
      newId: uuidv7,
    }),
  };
}
const handleRequest = makeHandler({
  servicesFor,
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
function summarize(result: APIGatewayProxyResult, calls: readonly StoreCall[]): Summary {
  const dynamodbMs = Math.round(calls.reduce((sum, call) => sum + call.ms, 0) * 10) / 10;
  return ['Request handled', { statusCode: result.statusCode, dynamodbMs, dynamodb: calls }];
}

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const calls: StoreCall[] = [];
  return telemetry.invoke(
    context,
    () => {
      logger.appendKeys({ correlationId: event.requestContext.requestId });
      return handleRequest(event, calls);
    },
    (result) => summarize(result, calls),
  );
}
