/**
 * Observability for both functions, one Powertools style: a JSON Logger whose correlation id is the API
 * Gateway request id and EMF Metrics in the TaskService namespace. Created once per container, never per
 * request. (Traces: Lambda's active tracing; per-call DynamoDB timings are in store-calls.ts.)
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'task-service';
export const METRICS_NAMESPACE = 'TaskService';

/** The business and security signals the dashboard and alarms read. */
export const METRIC = Object.freeze({
  tasksCreated: 'TasksCreated',
  tasksCompleted: 'TasksCompleted',
  validationFailures: 'ValidationFailures',
  authorizerDenials: 'AuthorizerDenials',
});
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Each DynamoDB call's duration in milliseconds, one value per call (the log line says which call). */
export const STORE_LATENCY_METRIC = 'DynamoDBCallLatency';

export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
  count(name: MetricName): void;
  /** Adds one DynamoDB call's duration to STORE_LATENCY_METRIC. */
  timeStoreCall(ms: number): void;
  /** Publishes the metrics counted during this invocation, if any (silently when there are none). */
  flush(): void;
}

/** `component` names the function in logs and traces; metrics share one service dimension. */
export function makeTelemetry(component: string): Telemetry {
  const logger = new Logger({ serviceName: SERVICE_NAME, persistentKeys: { component } });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  return {
    logger,
    metrics,
    count: (name) => metrics.addMetric(name, MetricUnit.Count, 1),
    timeStoreCall: (ms) => metrics.addMetric(STORE_LATENCY_METRIC, MetricUnit.Milliseconds, ms),
    flush: () => {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}
