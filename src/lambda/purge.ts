/**
 * Composition root of the purge Lambda: the table's stream, filtered to deleted lists (infra/list-purge.ts),
 * invokes it, and it purges each list's tasks in the background of the DELETE that answered at once. What
 * a batch does is `purge-stream.ts`; this file only wires it, once per container: the settings, the
 * telemetry, and the small signed DynamoDB client of `aws/` (as the task function's; docs/performance.md).
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadPurgeConfig } from '../settings/function-env.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../store/dynamo-http-ops.js';
import { purgeList } from '../store/list-purge.js';
import { makePurgeBatchHandler, type PurgeBatchOutcome } from './purge-stream.js';
import { makeTelemetry, type Summary } from './telemetry.js';

const config = loadPurgeConfig(process.env);
const telemetry = makeTelemetry('purge');
const { logger } = telemetry;
const db = dynamoHttpDocumentOps(
  makeDynamoHttpClient({ region: config.region, endpoint: config.dynamoEndpoint }),
);
const purgeBatch = makePurgeBatchHandler({
  purgeList: (listId, deadline) => purgeList({ db, tableName: config.tableName, deadline }, listId),
  logger,
});

/** One line per batch: how many records came, lists and tasks purged, records reported failed. */
const summarize = ({ batchItemFailures, ...counts }: PurgeBatchOutcome): Summary => [
  'Purge batch handled',
  { ...counts, failed: batchItemFailures.length },
];

export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  const outcome = await telemetry.invoke(context, () => purgeBatch(event, context), summarize);
  return { batchItemFailures: outcome.batchItemFailures };
}
