/**
 * Composition root of the task Lambda. CDK bundles this file, and `npm start` imports this same file, so
 * the local stack runs exactly the code that is deployed. Everything here runs once per container.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { v7 as uuidv7 } from 'uuid';
import { makeHandler } from '../api/handler.js';
import { loadTaskFunctionConfig } from '../config.js';
import { makeTaskService } from '../domain/task-service.js';
import { awsLiteDocumentOps, makeAwsLiteDynamo } from '../store/aws-lite-ops.js';
import { DynamoIdempotencyStore } from '../store/dynamo-idempotency-store.js';
import { DynamoTaskStore } from '../store/dynamo-task-store.js';

const config = loadTaskFunctionConfig(process.env);
const logger = new Logger({ serviceName: 'task-service' });
const db = awsLiteDocumentOps(makeAwsLiteDynamo({ region: config.region, endpoint: config.dynamoEndpoint }));
const store = new DynamoTaskStore(db, config.tableName);
const records = new DynamoIdempotencyStore(db, config.tableName);
const service = makeTaskService({ store, records, now: () => new Date(), newId: uuidv7 });
const handleRequest = makeHandler({ service, corsOrigins: config.corsOrigins, logger });

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  logger.appendKeys({ correlationId: event.requestContext.requestId });
  try {
    return await handleRequest(event);
  } finally {
    logger.resetKeys();
  }
}
