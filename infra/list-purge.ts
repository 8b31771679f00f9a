/**
 * The purge path on AWS: a deleted list's tasks are purged in the background, by a function the table's
 * stream invokes (src/lambda/purge.ts), with bounded retries and a dead-letter queue. Every choice below is
 * argued in docs/operate.md ("Purging deleted lists"); PURGE_PATH holds the figures it quotes.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELETED_LIST_PATTERN } from '../src/lambda/purge-stream.js';
import { purgeFunctionEnvironment } from '../src/settings/function-env.js';
import { ServiceFunction } from './functions.js';

export const PURGE_PATH = Object.freeze({
  /** One list per invocation: a long list gets the whole timeout, and its own retries. */
  batchSize: 1,
  /** After the first attempt; then the batch goes to the dead-letter queue (the default, -1, never stops). */
  retryAttempts: 3,
  /** Below the stream's 24 h, so a record stuck that long reaches the queue rather than vanishing. */
  maxRecordAge: Duration.hours(6),
  /** About 20,000 sequential UpdateItems at a pessimistic 10 ms, with room to spare (docs/operate.md). */
  timeout: Duration.minutes(5),
  memorySize: 512,
  deadLetterRetention: Duration.days(14),
});

export interface ListPurgeProps {
  readonly stage: string;
  /** Its stream on, NEW_IMAGE (infra/table-stack.ts). */
  readonly table: ITableV2;
  readonly logRetentionDays: number;
  readonly removeLogs: boolean;
}

/** The purge function, its stream event source and its dead-letter queue; the alarm is Observability's. */
export class ListPurge extends Construct {
  readonly function: ServiceFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: ListPurgeProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: PURGE_PATH.deadLetterRetention,
      removalPolicy: props.removeLogs ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the purge event source mapping; what lands here ' +
        'is redriven by hand (docs/operate.md), so a second dead-letter queue behind it would hold nothing.',
    });
    // No reserved concurrency: docs/operate.md says why (an account at 10 concurrent executions can reserve none).
    this.function = new ServiceFunction(this, 'Function', {
      entry: 'purge',
      stage: props.stage,
      description: 'List purge: the tasks of a deleted list, from the table stream',
      memorySize: PURGE_PATH.memorySize,
      timeout: PURGE_PATH.timeout,
      environment: purgeFunctionEnvironment({ tableName: props.table.tableName }),
      logRetentionDays: props.logRetentionDays,
      removeLogs: props.removeLogs,
    });
    this.function.fn.addEventSource(
      new DynamoEventSource(props.table, {
        // Every record still in the stream when the mapping is created or re-enabled: a list deleted in
        // between is purged late rather than never (the purge is idempotent, so reading one again is safe).
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: PURGE_PATH.batchSize,
        filters: [FilterCriteria.filter(DELETED_LIST_PATTERN)],
        retryAttempts: PURGE_PATH.retryAttempts,
        maxRecordAge: PURGE_PATH.maxRecordAge,
        // Inert at one record a batch; it keeps a failing list from sinking others if the size is raised.
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );
  }
}
