import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/functions.js';
import { PURGE_PATH } from '../../infra/list-purge.js';
import { ALARM_THRESHOLDS } from '../../infra/observability.js';
import { deletedListIdOf } from '../../src/lambda/purge-stream.js';
import { listDeleted, NOT_A_DELETED_LIST } from '../support/stream-records.js';
import { rendered, roleStatementsOf } from './role-policies.js';
import { only, type Resource, resourcesOf, type Synthesized, synthesize } from './synth.js';

/** The purge path as CloudFormation will deploy it: stream, mapping, dead-letter queue, alarm, function. */
let s: Synthesized;
beforeAll(() => {
  s = synthesize({}, false);
}, 120_000);

const mapping = () => only(resourcesOf(s.api, 'AWS::Lambda::EventSourceMapping'))[1].Properties;
const queue = () => only(resourcesOf(s.api, 'AWS::SQS::Queue'));
const purgeFunction = (): [string, Resource] =>
  only(resourcesOf(s.api, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('PurgeFunction')));

// biome-ignore lint/suspicious/noExplicitAny: event patterns and records are free-form JSON
type Json = any;

/**
 * The part of Lambda's event-filtering syntax (EventBridge patterns) the purge's filter uses: every key of
 * the pattern must be in the event; an array lists the values a leaf may have, each exact or
 * `{"prefix": …}`; an object descends.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
 */
function matches(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = event?.[key];
    if (value === undefined) return false;
    if (!Array.isArray(rule)) return typeof value === 'object' && matches(rule, value);
    return rule.some((option: Json) => {
      if (typeof option !== 'object') return option === value;
      const operators = Object.keys(option);
      if (operators.length !== 1 || operators[0] !== 'prefix')
        throw new Error(`Operator ${operators} is beyond this matcher: teach it, or keep the filter simple`);
      return typeof value === 'string' && value.startsWith(option.prefix);
    });
  });
}

/** The mapping's filters, parsed: Lambda delivers a record when one of them matches. */
const delivered = (record: DynamoDBRecord): boolean =>
  mapping().FilterCriteria.Filters.some((filter: { Pattern: string }) =>
    matches(JSON.parse(filter.Pattern), record),
  );

describe('the table’s stream', () => {
  it('is on, with the new image only', () => {
    const table = only(resourcesOf(s.table, 'AWS::DynamoDB::GlobalTable'))[1].Properties;
    expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  it('is what the purge mapping reads', () => {
    expect(rendered(mapping().EventSourceArn)).toMatch(/^\$\{import:TaskService-dev-Table:.*StreamArn.*\}$/);
    expect(mapping().FunctionName).toEqual({ Ref: purgeFunction()[0] });
  });
});

describe('the purge mapping’s filter', () => {
  it('is one pattern, JSON Lambda accepts (a filter left as `{}` would deliver every record)', () => {
    const [filter] = mapping().FilterCriteria.Filters;
    expect(mapping().FilterCriteria.Filters).toHaveLength(1);
    expect(JSON.parse(filter.Pattern)).toMatchObject({
      dynamodb: { NewImage: { deleted: { BOOL: [true] } } },
    });
  });

  it('delivers the record of a list deleted', () => {
    expect(delivered(listDeleted('0193a0c0-list'))).toBe(true);
  });

  it.each(NOT_A_DELETED_LIST)('holds back %s', (_, record) => {
    expect(delivered(record)).toBe(false);
  });

  it('agrees with the check the function makes again, record for record', () => {
    for (const record of [listDeleted('l1'), ...NOT_A_DELETED_LIST.map(([, r]) => r)])
      expect(delivered(record)).toBe(deletedListIdOf(record) !== undefined);
  });
});

describe('the purge mapping’s failure handling', () => {
  it('retries a failed batch a bounded number of times (the default, -1, retries until the record expires)', () => {
    expect(mapping().MaximumRetryAttempts).toBe(PURGE_PATH.retryAttempts);
    expect(mapping().MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
    expect(mapping().MaximumRetryAttempts).toBeLessThanOrEqual(10);
  });

  it('gives up on a record before the stream’s 24 hours would drop it unseen', () => {
    expect(mapping().MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(60);
    expect(mapping().MaximumRecordAgeInSeconds).toBeLessThan(24 * 3600);
  });

  it('reports failures per record, bisects, and starts from the oldest record the stream holds', () => {
    expect(mapping()).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: PURGE_PATH.batchSize,
    });
  });

  it('sends what it gives up on to the dead-letter queue', () => {
    expect(mapping().DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queue()[0], 'Arn'] });
  });
});

describe('the dead-letter queue', () => {
  it('is encrypted and keeps a message 14 days, SQS’s longest', () => {
    expect(queue()[1].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
  });

  it('can be created under the scoped bootstrap policy docs/operate.md gives', () => {
    const operate = readFileSync(join(REPO_ROOT, 'docs/operate.md'), 'utf8');
    const services = /"Sid": "TheServicesTheStacksUse"[^\]]*"Action": \[([^\]]*)\]/.exec(operate)?.[1];
    expect(services).toContain('"sqs:*"');
  });

  it('refuses every request without TLS', () => {
    const policy = only(resourcesOf(s.api, 'AWS::SQS::QueuePolicy'))[1].Properties;
    expect(policy.Queues).toEqual([{ Ref: queue()[0] }]);
    expect(policy.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('alarms on its first message, to the stage’s alarm topic, when it fires and when it clears', () => {
    const alarm = only(
      resourcesOf(s.api, 'AWS::CloudWatch::Alarm').filter(
        ([, a]) =>
          a.Properties.Namespace === 'AWS/SQS' &&
          a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
      ),
    )[1].Properties;
    const topic = only(resourcesOf(s.api, 'AWS::SNS::Topic'))[0];
    expect(alarm).toMatchObject({
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue()[0], 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: ALARM_THRESHOLDS.purgeDeadLetters,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
    expect(ALARM_THRESHOLDS.purgeDeadLetters).toBe(1);
  });
});

describe('the purge function', () => {
  it('runs like the others: Node 24, arm64, active tracing, its own log group', () => {
    const [, fn] = purgeFunction();
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      MemorySize: PURGE_PATH.memorySize,
    });
    expect(fn.Properties.LoggingConfig.LogGroup.Ref).toMatch(/^PurgeFunctionLogs/);
  });

  it('has the timeout sized for a list of 20,000 tasks, and no reserved concurrency', () => {
    const { Properties } = purgeFunction()[1];
    expect(Properties.Timeout).toBe(PURGE_PATH.timeout.toSeconds());
    // 20,000 UpdateItems, one after another, at 10 ms each (a slow in-region write) fit in one attempt.
    expect(Properties.Timeout).toBeGreaterThanOrEqual((20_000 * 10) / 1000);
    expect(Properties).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('may read the stream and send to its dead-letter queue, each on that resource only', () => {
    const statements = roleStatementsOf(s.api.toJSON(), 'PurgeFunction');
    const on = (action: string) =>
      statements.filter((st) => st.actions.includes(action)).flatMap((st) => st.resources);
    for (const action of ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'])
      expect(on(action)).toEqual([
        expect.stringMatching(/^\$\{import:TaskService-dev-Table:.*StreamArn.*\}$/),
      ]);
    expect(on('sqs:SendMessage')).toEqual([`\${${queue()[0]}.Arn}`]);
  });
});
