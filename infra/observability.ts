// Long on purpose (~270 lines): the alarm topic, its policy, the alarms and the dashboard read the same
// metrics and names, so they are built together; the metric names live in src/lambda/telemetry.ts.
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, type MetricName, SERVICE_NAME } from '../src/lambda/telemetry.js';
import { accountWideNamesOf } from './stage-settings.js';

/** Thresholds the alarms use; docs/operate.md quotes them. */
export const ALARM_THRESHOLDS = Object.freeze({
  serverErrorPercent: 1,
  p99LatencyMs: 1000,
  lambdaErrors: 1,
  lambdaThrottles: 1,
  dynamoThrottles: 1,
  authorizerFailures: 1,
  /** One batch the purge gave up on (infra/list-purge.ts) is a deleted list whose tasks are still there. */
  purgeDeadLetters: 1,
  denialPercent: 20,
  /** Below this many requests in a period the denial rate does not alarm: one refused call is 100 %. */
  denialMinRequests: 20,
});

const PERIOD = Duration.minutes(5);

/** Metrics counted from the stage's access log (one JSON line per request, ACCESS_LOG_FIELDS). */
export const ACCESS_LOG_METRICS = Object.freeze({
  /**
   * Every 401 and 403, whoever answered: the gateway (missing header, policy, scope) or the authorizer. Not
   * API Gateway's 403 for a path or method the API does not have (MISSING_AUTHENTICATION_TOKEN), which a
   * scanner sends by the hundred and which refuses no caller of the API.
   */
  denials: {
    metricName: 'GatewayDenials',
    pattern: FilterPattern.any(
      FilterPattern.stringValue('$.status', '=', '401'),
      FilterPattern.all(
        FilterPattern.stringValue('$.status', '=', '403'),
        FilterPattern.stringValue('$.errorType', '!=', 'MISSING_AUTHENTICATION_TOKEN'),
      ),
    ),
  },
  /** The authorizer failed rather than refused: it threw anything but `Unauthorized` (secret or JWKS outage), timed out or answered nonsense. */
  authorizerFailures: {
    metricName: 'AuthorizerFailures',
    pattern: FilterPattern.any(
      FilterPattern.stringValue('$.errorType', '=', 'AUTHORIZER_FAILURE'),
      FilterPattern.stringValue('$.errorType', '=', 'AUTHORIZER_CONFIGURATION_ERROR'),
    ),
  },
});

export interface ObservabilityProps {
  readonly stage: string;
  readonly api: RestApi;
  readonly accessLogs: ILogGroup;
  readonly functions: Readonly<Record<'tasks' | 'authorizer', IFunction>>;
  readonly table: ITableV2;
  /** Where the purge of deleted lists sends the batches it gave up on. */
  readonly purgeDeadLetters: IQueue;
  /** The DynamoDB operations the task function makes (`GetItem`, …): each one's throttles count. */
  readonly tableOperations: readonly string[];
  /** Subscribed to the alarm topic when set. */
  readonly alarmEmail?: string;
}

/** A business metric of a stage the functions emit (src/lambda/telemetry.ts), summed per period. */
export const customMetric = (metricName: MetricName, stage: string): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, stage },
    statistic: 'Sum',
    period: PERIOD,
  });

/**
 * The sum of several metrics that publish only when something happened (DynamoDB's ThrottledRequests):
 * each term is filled with 0, else one missing term leaves the sum with no datapoint and the alarm silent.
 */
export function filledSum(label: string, metrics: readonly IMetric[]): MathExpression {
  const ids = metrics.map((_, i) => `m${i}`);
  return new MathExpression({
    label,
    expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(ids.map((id, i) => [id, metrics[i] as IMetric])),
    period: PERIOD,
  });
}

/** Alarms on the figures that say users are hurting, sent to one topic, and a dashboard of the same. */
export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly topic: Topic;
  /** Every alarm's name starts so (the API stack's name): the topic accepts only these alarms. */
  readonly alarmNamePrefix: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { api, functions, table } = props;
    this.alarmNamePrefix = `${Stack.of(this).stackName}-`;
    this.topic = new Topic(this, 'Alarms', {
      displayName: `Task service (${props.stage}) alarms`,
      enforceSSL: true,
    });
    // enforceSSL writes a topic policy, which replaces SNS's default one: without an Allow, CloudWatch could
    // not publish. Only this account's alarms of this stack may (the confused-deputy conditions AWS documents).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${this.alarmNamePrefix}*`,
          },
        },
      }),
    );
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no data; CloudWatch cannot publish to a topic encrypted with the AWS managed ' +
        'SNS key, and a customer managed key with a CloudWatch grant costs a monthly fee per stage.',
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const logMetric = (which: keyof typeof ACCESS_LOG_METRICS): Metric => {
      const { metricName, pattern } = ACCESS_LOG_METRICS[which];
      props.accessLogs.addMetricFilter(metricName, {
        filterPattern: pattern,
        metricNamespace: METRICS_NAMESPACE,
        metricName,
        metricValue: '1',
        dimensions: { stage: '$.stage' },
      });
      return new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { stage: props.stage },
        statistic: 'Sum',
        period: PERIOD,
      });
    };
    const requests = api.metricCount({ period: PERIOD, statistic: 'Sum' });
    const serverErrorRate = new MathExpression({
      label: '5XX %',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: api.metricServerError({ period: PERIOD, statistic: 'Sum' }), requests },
      period: PERIOD,
    });
    const p99 = api.metricLatency({ period: PERIOD, statistic: 'p99' });
    // A filter with dimensions publishes nothing when nothing matched: fill, or a quiet period hides the rate.
    const denials = logMetric('denials');
    const denialRate = new MathExpression({
      label: '401 and 403 %',
      expression: `IF(requests >= ${ALARM_THRESHOLDS.denialMinRequests}, 100 * FILL(denials, 0) / requests, 0)`,
      usingMetrics: { denials, requests },
      period: PERIOD,
    });
    const authorizerFailures = logMetric('authorizerFailures');
    const dynamoThrottles = filledSum(
      'DynamoDB throttled requests',
      props.tableOperations.map(
        (operation) =>
          new Metric({
            namespace: 'AWS/DynamoDB',
            metricName: 'ThrottledRequests',
            dimensionsMap: { TableName: table.tableName, Operation: operation },
            statistic: 'Sum',
            period: PERIOD,
          }),
      ),
    );

    this.alarm('ServerErrorRate', serverErrorRate, ALARM_THRESHOLDS.serverErrorPercent, 3);
    this.alarm('LatencyP99', p99, ALARM_THRESHOLDS.p99LatencyMs, 3);
    this.alarm('DenialRate', denialRate, ALARM_THRESHOLDS.denialPercent, 3);
    this.alarm('AuthorizerFailures', authorizerFailures, ALARM_THRESHOLDS.authorizerFailures, 1);
    this.alarm('DynamoThrottles', dynamoThrottles, ALARM_THRESHOLDS.dynamoThrottles, 1);
    const deadLetters = props.purgeDeadLetters.metricApproximateNumberOfMessagesVisible({
      period: PERIOD,
      statistic: 'Maximum',
    });
    this.alarm('PurgeDeadLetters', deadLetters, ALARM_THRESHOLDS.purgeDeadLetters, 1);
    // The task function's errors are failures; the authorizer's include every deliberate `Unauthorized`.
    this.alarm(
      'TasksErrors',
      functions.tasks.metricErrors({ period: PERIOD }),
      ALARM_THRESHOLDS.lambdaErrors,
      1,
    );
    for (const [name, fn] of Object.entries(functions)) {
      const key = name === 'tasks' ? 'Tasks' : 'Authorizer';
      this.alarm(
        `${key}Throttles`,
        fn.metricThrottles({ period: PERIOD }),
        ALARM_THRESHOLDS.lambdaThrottles,
        1,
      );
    }

    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: accountWideNamesOf(props.stage, Stack.of(this).region).dashboard,
    });
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    dashboard.addWidgets(
      graph('API requests and 5XX %', [requests], [serverErrorRate]),
      graph('API latency', [api.metricLatency({ period: PERIOD, statistic: 'p50' }), p99]),
    );
    dashboard.addWidgets(
      graph('Lambda errors and throttles, authorizer failures', [
        ...Object.values(functions).flatMap((fn) => [fn.metricErrors(), fn.metricThrottles()]),
        authorizerFailures,
      ]),
      graph('DynamoDB throttled requests', [dynamoThrottles]),
    );
    dashboard.addWidgets(
      graph('Tasks created and completed', [
        customMetric(METRIC.tasksCreated, props.stage),
        customMetric(METRIC.tasksCompleted, props.stage),
      ]),
      graph(
        'Validation failures, refusals (authorizer, and all 401/403)',
        [
          customMetric(METRIC.validationFailures, props.stage),
          customMetric(METRIC.authorizerDenials, props.stage),
          denials,
        ],
        [denialRate],
      ),
    );
    dashboard.addWidgets(graph('List purge: batches given up, in the dead-letter queue', [deadLetters]));
  }

  /** Every alarm notifies the topic when it fires and when it clears. */
  private alarm(id: string, metric: IMetric, threshold: number, evaluationPeriods: number): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.alarmNamePrefix}${id}`,
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
