/**
 * The purge function's work on one batch of the table's stream: each record that says a list was deleted
 * has its tasks purged (src/store/list-purge.ts); every other record is left alone. The event source
 * mapping already filters with DELETED_LIST_PATTERN (infra/list-purge.ts), and the code checks again, so a
 * pattern that drifts can only deliver too little, never purge a list that was not deleted.
 *
 * A record whose purge fails (an error, or the invocation's time running out) is reported in
 * `batchItemFailures` (ReportBatchItemFailures): Lambda retries the batch from the first one reported, and
 * the purge, being idempotent, continues where it stopped.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
import type { Context, DynamoDBBatchItemFailure, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type Deadline, deadlineIn } from '../domain/deadline.js';
import { LIST_ITEM_KEYS, NAMED_LIST_PREFIX, TABLE_KEYS } from '../store/table-schema.js';
import { DELETED_ATTRIBUTE } from '../store/task-item.js';
import type { Logger } from './telemetry.js';

/**
 * A list's meta item, as the list store writes it: `pk` = `L#<listId>`, `sk` = `#list`; deleting the list
 * sets `deleted` (a BOOL) on it, in place.
 */
export const LIST_META_ITEM = Object.freeze({
  partitionPrefix: NAMED_LIST_PREFIX,
  sortKey: LIST_ITEM_KEYS.meta,
  deletedAttribute: DELETED_ATTRIBUTE,
});

/** Writes that leave a deleted list's meta item behind; a REMOVE (TTL's, at the end) purges nothing. */
const PURGING_EVENTS = ['INSERT', 'MODIFY'] as const;

/**
 * The event source mapping's filter, in Lambda's event-filtering syntax (EventBridge patterns): a write
 * whose keys are a list's meta item and whose new image says `deleted`. A DynamoDB record's values are
 * typed (`{"S": …}`, `{"BOOL": true}`), so the pattern names the type too, and a BOOL matches JSON `true`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 */
export const DELETED_LIST_PATTERN = Object.freeze({
  eventName: [...PURGING_EVENTS],
  dynamodb: {
    Keys: {
      [TABLE_KEYS.partitionKey]: { S: [{ prefix: LIST_META_ITEM.partitionPrefix }] },
      [TABLE_KEYS.sortKey]: { S: [LIST_META_ITEM.sortKey] },
    },
    NewImage: { [LIST_META_ITEM.deletedAttribute]: { BOOL: [true] } },
  },
});

/** The id of the list a record says was deleted; undefined for any other record. */
export function deletedListIdOf(record: DynamoDBRecord): string | undefined {
  if (!PURGING_EVENTS.some((name) => name === record.eventName)) return undefined;
  const keys = record.dynamodb?.Keys;
  const partition = keys?.[TABLE_KEYS.partitionKey]?.S;
  const deleted = record.dynamodb?.NewImage?.[LIST_META_ITEM.deletedAttribute]?.BOOL;
  if (keys?.[TABLE_KEYS.sortKey]?.S !== LIST_META_ITEM.sortKey || deleted !== true) return undefined;
  if (!partition?.startsWith(LIST_META_ITEM.partitionPrefix)) return undefined;
  const listId = partition.slice(LIST_META_ITEM.partitionPrefix.length);
  return listId === '' ? undefined : listId;
}

/**
 * How long before the function's timeout the purge stops sending: time to log, and to report the records
 * it did not finish, rather than be killed mid-batch (which fails the whole batch, without a word).
 */
export const STOP_BEFORE_TIMEOUT_MS = 10_000;

/** The instant the batch's purges stop, from the time Lambda leaves this invocation. */
export const deadlineOf = (context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline =>
  deadlineIn(Math.max(0, context.getRemainingTimeInMillis() - STOP_BEFORE_TIMEOUT_MS));

export interface PurgeBatchDeps {
  /** Purges one deleted list's tasks, sending nothing after the deadline; idempotent. */
  readonly purgeList: (listId: string, deadline: Deadline) => Promise<{ purged: number }>;
  readonly logger: Logger;
}

/** What one batch came to: the answer Lambda reads, and the figures of the invocation's log line. */
export interface PurgeBatchOutcome {
  readonly batchItemFailures: DynamoDBBatchItemFailure[];
  readonly records: number;
  readonly listsPurged: number;
  readonly tasksPurged: number;
}

/**
 * The batch handler: the batch's deleted lists, purged one after another before one deadline. A record
 * without a sequence number (the stream always sends one) is reported as `""`, which Lambda takes as the
 * whole batch failed: retried, never skipped.
 */
export function makePurgeBatchHandler(deps: PurgeBatchDeps) {
  const { logger } = deps;
  return async (
    event: DynamoDBStreamEvent,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<PurgeBatchOutcome> => {
    const deadline = deadlineOf(context);
    const batchItemFailures: DynamoDBBatchItemFailure[] = [];
    let listsPurged = 0;
    let tasksPurged = 0;
    for (const record of event.Records) {
      const listId = deletedListIdOf(record);
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      if (listId === undefined) {
        // The mapping's filter should not have let it through: say so, and purge nothing.
        logger.warn('Record skipped: not a deleted list', { eventName: record.eventName, sequenceNumber });
        continue;
      }
      try {
        const { purged } = await deps.purgeList(listId, deadline);
        listsPurged += 1;
        tasksPurged += purged;
        logger.info('List purged', { listId, purged });
      } catch (error) {
        logger.error('List purge failed', { listId, sequenceNumber, error });
        batchItemFailures.push({ itemIdentifier: sequenceNumber });
      }
    }
    return { batchItemFailures, records: event.Records.length, listsPurged, tasksPurged };
  };
}
