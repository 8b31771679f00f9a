import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_STAGE } from '../settings/platform.js';
import { METRIC, makeTelemetry, STORE_LATENCY_METRIC } from './telemetry.js';

const LOCAL = { POWERTOOLS_DEV: 'false', POWERTOOLS_METRICS_DISABLED: 'false' };
const context = (awsRequestId: string) =>
  ({ functionName: 'task-service-tasks', awsRequestId }) as unknown as Context;

describe('telemetry', () => {
  let printed: string[];
  const lines = () => printed.map((line) => JSON.parse(line) as Record<string, unknown>);
  beforeEach(() => {
    printed = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes one JSON line per log call: level, message, service, component, context and keys', async () => {
    const { logger, invoke } = makeTelemetry('tasks', LOCAL);
    await invoke(context('req-1'), async () => {
      logger.appendKeys({ route: 'getTask', principalId: 'alice' });
      logger.info('Request handled', { statusCode: 200 });
    });
    expect(printed).toHaveLength(1);
    expect(printed[0]?.endsWith('\n')).toBe(true);
    expect(lines()[0]).toMatchObject({
      level: 'INFO',
      message: 'Request handled',
      service: 'task-service',
      component: 'tasks',
      cold_start: true,
      function_name: 'task-service-tasks',
      function_request_id: 'req-1',
      route: 'getTask',
      principalId: 'alice',
      statusCode: 200,
    });
    expect(Date.parse(String(lines()[0]?.timestamp))).not.toBeNaN();
  });

  it("marks only a container's first invocation as a cold start", async () => {
    const { logger, invoke } = makeTelemetry('tasks', LOCAL);
    for (const id of ['a', 'b']) await invoke(context(id), async () => logger.info('handled'));
    expect(lines().map((line) => line.cold_start)).toEqual([true, false]);
  });

  it("forgets an invocation's keys when it ends, and keeps the component", async () => {
    const { logger, invoke } = makeTelemetry('authorizer', LOCAL);
    await invoke(context('a'), async () => logger.appendKeys({ principalId: 'alice' }));
    await invoke(context('b'), async () => logger.info('next'));
    expect(lines()[0]).not.toHaveProperty('principalId');
    expect(lines()[0]).toMatchObject({ component: 'authorizer', function_request_id: 'b' });
  });

  it('keeps the request id, keys and metrics of overlapping invocations apart', async () => {
    const telemetry = makeTelemetry('tasks', LOCAL);
    const { logger } = telemetry;
    let releaseFirst: () => void = () => undefined;
    const firstMayEnd = new Promise<void>((done) => {
      releaseFirst = done;
    });
    const first = telemetry.invoke(context('first'), async () => {
      logger.appendKeys({ principalId: 'alice' });
      telemetry.count(METRIC.tasksCreated);
      await firstMayEnd;
      logger.info('Request handled');
    });
    await telemetry.invoke(context('second'), async () => {
      logger.appendKeys({ principalId: 'bob' });
      telemetry.timeStoreCall(4);
      logger.info('Request handled');
    });
    releaseFirst();
    await first;
    const handled = lines().filter((line) => line.message === 'Request handled');
    expect(handled.map((line) => [line.function_request_id, line.principalId])).toEqual([
      ['second', 'bob'],
      ['first', 'alice'],
    ]);
    const published = lines().filter((line) => '_aws' in line);
    expect(published.map((line) => Object.keys(line).filter((key) => /^[A-Z]/.test(key)))).toEqual([
      [STORE_LATENCY_METRIC],
      ['TasksCreated'],
    ]);
  });

  it("puts each invocation's X-Ray trace root on its lines", async () => {
    const env: NodeJS.ProcessEnv = { ...LOCAL };
    const { logger, invoke } = makeTelemetry('tasks', env);
    for (const root of ['1-5759e988-bd862e3fe1be46a994272793', '1-67891233-abcdef012345678912345678']) {
      env._X_AMZN_TRACE_ID = `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`;
      await invoke(context(root), async () => logger.info('handled'));
    }
    expect(lines().map((line) => line.xray_trace_id)).toEqual([
      '1-5759e988-bd862e3fe1be46a994272793',
      '1-67891233-abcdef012345678912345678',
    ]);
  });

  it('drops the lines below POWERTOOLS_LOG_LEVEL', () => {
    const { logger } = makeTelemetry('tasks', { ...LOCAL, POWERTOOLS_LOG_LEVEL: 'WARN' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines().map((line) => line.level)).toEqual(['WARN', 'ERROR']);
  });

  it('indents each line in dev mode, and writes one line per entry otherwise', () => {
    makeTelemetry('tasks', { POWERTOOLS_DEV: 'true' }).logger.info('pretty');
    makeTelemetry('tasks', LOCAL).logger.info('compact');
    expect(printed[0]).toContain('\n    "message": "pretty"');
    expect(printed[1]?.trimEnd()).not.toContain('\n');
  });

  it('prints an error with its name, message, stack and cause', () => {
    const { logger } = makeTelemetry('tasks', LOCAL);
    const cause = new Error('socket hang up');
    logger.error('Unhandled error', { requestId: 'r', error: new TypeError('boom', { cause }) });
    expect(lines()[0]?.error).toMatchObject({
      name: 'TypeError',
      message: 'boom',
      stack: expect.stringContaining('TypeError: boom'),
      cause: { name: 'Error', message: 'socket hang up' },
    });
  });

  it('publishes a counted metric as EMF in the TaskService namespace with the service and stage dimensions', async () => {
    const telemetry = makeTelemetry('tasks', { ...LOCAL, STAGE: 'prod' });
    await telemetry.invoke(context('a'), async () => telemetry.count(METRIC.tasksCreated));
    const emf = lines()[0] as { _aws: { CloudWatchMetrics: unknown[]; Timestamp: number } };
    expect(emf).toMatchObject({ service: 'task-service', stage: 'prod', TasksCreated: 1 });
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'TaskService',
        Dimensions: [['service', 'stage']],
        Metrics: [{ Name: 'TasksCreated', Unit: 'Count' }],
      },
    ]);
    expect(emf._aws.Timestamp).toBeTypeOf('number');
  });

  it('names the default stage when STAGE is unset, as the CDK app and npm start do', async () => {
    const telemetry = makeTelemetry('tasks', LOCAL);
    await telemetry.invoke(context('a'), async () => telemetry.count(METRIC.tasksCreated));
    expect(lines()[0]).toMatchObject({ stage: DEFAULT_STAGE });
  });

  it('publishes each DynamoDB call time as one value of a Milliseconds metric', async () => {
    const telemetry = makeTelemetry('tasks', LOCAL);
    await telemetry.invoke(context('a'), async () => {
      telemetry.timeStoreCall(3.5);
      telemetry.timeStoreCall(12);
    });
    const emf = JSON.parse(printed.find((line) => line.includes(STORE_LATENCY_METRIC)) ?? '{}');
    expect(emf[STORE_LATENCY_METRIC]).toEqual([3.5, 12]);
    expect(emf._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: STORE_LATENCY_METRIC, Unit: 'Milliseconds' },
    ]);
  });

  it('publishes what an invocation recorded once, even when it throws, then nothing more', async () => {
    const telemetry = makeTelemetry('tasks', LOCAL);
    const failing = telemetry.invoke(context('a'), async () => {
      telemetry.count(METRIC.validationFailures);
      throw new Error('failed');
    });
    await expect(failing).rejects.toThrow('failed');
    await telemetry.invoke(context('b'), async () => undefined);
    expect(printed).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ ValidationFailures: 1 });
  });

  it('publishes a metric recorded outside any invocation with the next one', async () => {
    const telemetry = makeTelemetry('tasks', LOCAL);
    telemetry.count(METRIC.authorizerDenials);
    expect(printed).toEqual([]);
    await telemetry.invoke(context('a'), async () => undefined);
    expect(lines()[0]).toMatchObject({ AuthorizerDenials: 1 });
  });

  it("writes an invocation's summary and its metrics as one EMF line", async () => {
    const telemetry = makeTelemetry('tasks', LOCAL);
    await telemetry.invoke(
      context('req-9'),
      async () => {
        telemetry.logger.appendKeys({ route: 'createTask' });
        telemetry.count(METRIC.tasksCreated);
        return 201;
      },
      (statusCode) => ['Request handled', { statusCode }],
    );
    expect(printed).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      level: 'INFO',
      message: 'Request handled',
      function_request_id: 'req-9',
      route: 'createTask',
      statusCode: 201,
      service: 'task-service',
      TasksCreated: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'TaskService', Metrics: [{ Name: 'TasksCreated' }] }] },
    });
  });

  it('writes the metrics alone below INFO, and the summary alone with metrics off', async () => {
    for (const env of [{ ...LOCAL, POWERTOOLS_LOG_LEVEL: 'WARN' }, { POWERTOOLS_METRICS_DISABLED: 'true' }]) {
      const telemetry = makeTelemetry('tasks', env);
      await telemetry.invoke(
        context('a'),
        async () => telemetry.count(METRIC.tasksCreated),
        () => ['Request handled', {}],
      );
    }
    expect(lines()).toEqual([
      expect.objectContaining({ TasksCreated: 1 }),
      expect.objectContaining({ message: 'Request handled' }),
    ]);
    expect(lines()[0]).not.toHaveProperty('message');
    expect(lines()[1]).not.toHaveProperty('_aws');
  });

  it('keeps metrics off in dev mode unless POWERTOOLS_METRICS_DISABLED=false, as Powertools does', async () => {
    for (const env of [{ POWERTOOLS_DEV: 'true' }, { POWERTOOLS_METRICS_DISABLED: 'true' }]) {
      const telemetry = makeTelemetry('tasks', env);
      await telemetry.invoke(context('a'), async () => telemetry.count(METRIC.tasksCreated));
    }
    expect(printed).toEqual([]);
  });

  it('prints nothing when an invocation counted nothing', async () => {
    await makeTelemetry('tasks', LOCAL).invoke(context('a'), async () => undefined);
    expect(printed).toEqual([]);
  });
});
