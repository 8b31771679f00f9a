import { Duration } from 'aws-cdk-lib';
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
import { type ITableV2, Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, type MetricName, SERVICE_NAME } from '../src/lambda/telemetry.js';

/** Thresholds the alarms use; the README's "Observe" notes quote them. */
export const ALARM_THRESHOLDS = Object.freeze({
  serverErrorPercent: 1,
  p99LatencyMs: 1000,
  lambdaErrors: 1,
  lambdaThrottles: 1,
  dynamoThrottles: 1,
  authorizerDenialPercent: 20,
});

const PERIOD = Duration.minutes(5);

export interface ObservabilityProps {
  readonly stage: string;
  readonly api: RestApi;
  readonly functions: Readonly<Record<'tasks' | 'authorizer', IFunction>>;
  readonly table: ITableV2;
}

/** A business metric the functions emit with Powertools (src/lambda/telemetry.ts), summed per period. */
export const customMetric = (metricName: MetricName): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: 'Sum',
    period: PERIOD,
  });

/** Alarms on the figures that say users are hurting, and one dashboard that shows the same figures. */
export class Observability extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { api, functions, table } = props;
    const requests = api.metricCount({ period: PERIOD, statistic: 'Sum' });
    const serverErrorRate = new MathExpression({
      label: '5XX %',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: api.metricServerError({ period: PERIOD, statistic: 'Sum' }), requests },
      period: PERIOD,
    });
    const p99 = api.metricLatency({ period: PERIOD, statistic: 'p99' });
    const denialRate = new MathExpression({
      label: 'authorizer denials %',
      expression: 'IF(requests > 0, 100 * denials / requests, 0)',
      usingMetrics: { denials: customMetric(METRIC.authorizerDenials), requests },
      period: PERIOD,
    });
    const dynamoThrottles = table.metricThrottledRequestsForOperations({
      operations: [
        Operation.GET_ITEM,
        Operation.PUT_ITEM,
        Operation.UPDATE_ITEM,
        Operation.DELETE_ITEM,
        Operation.QUERY,
      ],
      period: PERIOD,
    });

    this.alarm('ServerErrorRate', serverErrorRate, ALARM_THRESHOLDS.serverErrorPercent, 3);
    this.alarm('LatencyP99', p99, ALARM_THRESHOLDS.p99LatencyMs, 3);
    this.alarm('AuthorizerDenialRate', denialRate, ALARM_THRESHOLDS.authorizerDenialPercent, 3);
    this.alarm('DynamoThrottles', dynamoThrottles, ALARM_THRESHOLDS.dynamoThrottles, 1);
    for (const [name, fn] of Object.entries(functions)) {
      const key = name === 'tasks' ? 'Tasks' : 'Authorizer';
      this.alarm(`${key}Errors`, fn.metricErrors({ period: PERIOD }), ALARM_THRESHOLDS.lambdaErrors, 1);
      this.alarm(
        `${key}Throttles`,
        fn.metricThrottles({ period: PERIOD }),
        ALARM_THRESHOLDS.lambdaThrottles,
        1,
      );
    }

    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `TaskService-${props.stage}` });
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    dashboard.addWidgets(
      graph('API requests and 5XX %', [requests], [serverErrorRate]),
      graph('API latency', [api.metricLatency({ period: PERIOD, statistic: 'p50' }), p99]),
    );
    dashboard.addWidgets(
      graph(
        'Lambda errors and throttles',
        Object.values(functions).flatMap((fn) => [fn.metricErrors(), fn.metricThrottles()]),
      ),
      graph('DynamoDB throttled requests', [dynamoThrottles]),
    );
    dashboard.addWidgets(
      graph('Tasks created and completed', [
        customMetric(METRIC.tasksCreated),
        customMetric(METRIC.tasksCompleted),
      ]),
      graph(
        'Validation failures and authorizer denials',
        [customMetric(METRIC.validationFailures), customMetric(METRIC.authorizerDenials)],
        [denialRate],
      ),
    );
  }

  private alarm(id: string, metric: IMetric, threshold: number, evaluationPeriods: number): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
