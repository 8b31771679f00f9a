/**
 * Observability for both functions: JSON log lines that carry the request's correlation id, and metrics as
 * CloudWatch embedded metric format (EMF) lines in the TaskService namespace. Created once per container;
 * each invocation runs in its own scope (`invoke`), so overlapping invocations never share keys or metrics.
 * The scope holds only the log keys and metrics, which any code may write; what a request's code needs (its
 * deadline, the list its store calls are timed into) is handed down to it (`api/handler.ts`).
 *
 * Hand-written in place of Powertools Logger and Metrics, whose import the authorizer's cold-start budget
 * cannot afford (docs/performance.md). It keeps their field names (`level`, `message`, `timestamp`,
 * `service`, `cold_start`, `function_request_id`, …), their environment variables (`POWERTOOLS_LOG_LEVEL`,
 * `POWERTOOLS_DEV`, `POWERTOOLS_METRICS_DISABLED`) and their EMF shape, so queries, dashboards and alarms
 * read the same.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { VARIABLES } from '../settings/variables.js';

export const SERVICE_NAME = 'task-service';
export const METRICS_NAMESPACE = 'TaskService';
/**
 * The variable naming the deployment's stage (the CDK stack sets it on both functions, `npm start` to its
 * own stage): every metric carries it as a dimension, so two stages in one account and region never add
 * into one series. Unset, it is the default stage, as for the CDK app and `npm start`.
 */
export const STAGE_VARIABLE = VARIABLES.stage.name;

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

const LEVELS = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, SILENT: 4 } as const;
type Level = Exclude<keyof typeof LEVELS, 'SILENT'>;
type Extra = Record<string, unknown>;

export interface Logger {
  debug(message: string, ...extra: Extra[]): void;
  info(message: string, ...extra: Extra[]): void;
  warn(message: string, ...extra: Extra[]): void;
  error(message: string, ...extra: Extra[]): void;
  /** Keys for the rest of this invocation (route, principal, correlation id). */
  appendKeys(keys: Extra): void;
}

export interface Telemetry {
  readonly logger: Logger;
  count(name: MetricName): void;
  /** Adds one DynamoDB call's duration to STORE_LATENCY_METRIC. */
  timeStoreCall(ms: number): void;
  /**
   * Runs one invocation in a scope of its own: the request id and cold-start flag on its lines, the keys
   * appended during it and the metrics it records belong to it alone, even while other invocations run
   * (`npm start` serves many at once from one module instance, as Lambda Managed Instances do). Its
   * metrics are published when it ends, whether it returns or throws.
   *
   * `summarize` turns the result into the invocation's INFO line. That line and the metrics are one EMF
   * document (a log event may carry fields beside `_aws`, as aws-embedded-metrics' properties do): one
   * line per request that Logs Insights queries and CloudWatch reads metrics from, written once.
   */
  invoke<T>(context: Context, run: () => Promise<T>, summarize?: (result: T) => Summary): Promise<T>;
}

/** An invocation's closing INFO line: its message and fields. */
export type Summary = readonly [message: string, fields: Extra];

/** Errors become `{ name, message, stack, cause }`; JSON would print `{}`. */
function errorsAsObjects(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { name, message, stack, cause } = value;
  return { name, message, stack, ...(cause !== undefined && { cause }) };
}

/** What one invocation has said so far. Outside any invocation (module init) a container-wide one is used. */
interface Scope {
  readonly context: Extra;
  keys: Extra;
  readonly metrics: Map<string, { unit: string; values: number[] }>;
}

const newScope = (context: Extra = {}): Scope => ({ context, keys: {}, metrics: new Map() });

/** `component` names the function in logs; metrics share the service and stage dimensions. */
export function makeTelemetry(component: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  const dev = env[VARIABLES.devLogs.name] === 'true';
  const stage = env[STAGE_VARIABLE] || VARIABLES.stage.default;
  const level = (
    env[VARIABLES.logLevelOfFunctions.name] ??
    env[VARIABLES.lambdaLogLevel.name] ??
    'INFO'
  ).toUpperCase();
  const threshold = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.INFO;
  const metricsOff =
    env[VARIABLES.metricsDisabled.name] === 'true' ||
    (dev && env[VARIABLES.metricsDisabled.name] !== 'false');
  const indent = dev ? 4 : undefined;
  // A replacer runs for every key of every line, so only a line that carries an Error gets one.
  const write = (entry: Extra) => {
    const withErrors = Object.values(entry).some((value) => value instanceof Error);
    process.stdout.write(`${JSON.stringify(entry, withErrors ? errorsAsObjects : undefined, indent)}\n`);
  };

  const invocations = new AsyncLocalStorage<Scope>();
  const container = newScope();
  const scope = () => invocations.getStore() ?? container;
  let coldStart = env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';

  /** A log line's fields, in the given scope; undefined below the level. */
  const entryOf = (at: Level, { context, keys }: Scope, message: string, extra: readonly Extra[]) => {
    if (LEVELS[at] < threshold) return undefined;
    return {
      level: at,
      message,
      timestamp: new Date().toISOString(),
      service: SERVICE_NAME,
      component,
      ...context,
      ...keys,
      ...(extra.length === 1 ? extra[0] : Object.assign({}, ...extra)),
    };
  };
  const log =
    (at: Level) =>
    (message: string, ...extra: Extra[]) => {
      const entry = entryOf(at, scope(), message, extra);
      if (entry) write(entry);
    };
  const logger: Logger = {
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
    appendKeys(more) {
      const current = scope();
      current.keys = { ...current.keys, ...more };
    },
  };

  const record = (name: string, unit: string, value: number) => {
    const { metrics } = scope();
    const metric = metrics.get(name) ?? { unit, values: [] };
    metric.values.push(value);
    metrics.set(name, metric);
  };
  /** The EMF fields for what a scope recorded, which it then forgets; undefined when there is nothing. */
  const metricsOf = ({ metrics: recorded }: Scope) => {
    if (recorded.size === 0) return undefined;
    const metrics = [...recorded];
    recorded.clear();
    if (metricsOff) return undefined;
    const values = metrics.map(([name, { values: v }]) => [name, v.length === 1 ? v[0] : v]);
    return {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [['service', 'stage']],
            Metrics: metrics.map(([Name, { unit }]) => ({ Name, Unit: unit })),
          },
        ],
      },
      service: SERVICE_NAME,
      stage,
      ...Object.fromEntries(values),
    };
  };

  return {
    logger,
    count: (name) => record(name, 'Count', 1),
    timeStoreCall: (ms) => record(STORE_LATENCY_METRIC, 'Milliseconds', ms),
    async invoke(lambda, run, summarize) {
      // Lambda sets the trace header in the environment before each invocation: read it once per invocation.
      const trace = /Root=([^;]+)/.exec(env._X_AMZN_TRACE_ID ?? '')?.[1];
      const invocation = newScope({
        cold_start: coldStart,
        function_name: lambda.functionName,
        function_request_id: lambda.awsRequestId,
        ...(trace && { xray_trace_id: trace }),
      });
      coldStart = false;
      let summary: Extra | undefined;
      try {
        const result = await invocations.run(invocation, run);
        if (summarize) {
          const [message, fields] = summarize(result);
          summary = entryOf('INFO', invocation, message, [fields]);
        }
        return result;
      } finally {
        const early = metricsOf(container);
        if (early) write(early);
        const metrics = metricsOf(invocation);
        if (summary || metrics) write({ ...summary, ...metrics });
      }
    },
  };
}
