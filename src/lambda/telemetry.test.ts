import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentOps } from '../store/document-ops.js';
import { type StoreCall, timedDocumentOps, withStoreCalls } from './store-calls.js';
import { METRIC, makeTelemetry, STORE_LATENCY_METRIC } from './telemetry.js';

describe('telemetry', () => {
  let printed: string[];
  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    printed = [];
    // Powertools writes through its own Console on the process streams.
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('publishes a counted metric as EMF in the TaskService namespace with the service dimension', () => {
    const telemetry = makeTelemetry('tasks');
    telemetry.count(METRIC.tasksCreated);
    telemetry.flush();
    const emf = JSON.parse(printed.find((line) => line.includes('TasksCreated')) ?? '{}');
    expect(emf).toMatchObject({ service: 'task-service', TasksCreated: 1 });
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'TaskService',
      Dimensions: [['service']],
      Metrics: [{ Name: 'TasksCreated', Unit: 'Count' }],
    });
  });

  it('publishes each DynamoDB call time as one value of a Milliseconds metric', () => {
    const telemetry = makeTelemetry('tasks');
    telemetry.timeStoreCall(3.5);
    telemetry.timeStoreCall(12);
    telemetry.flush();
    const emf = JSON.parse(printed.find((line) => line.includes(STORE_LATENCY_METRIC)) ?? '{}');
    expect(emf[STORE_LATENCY_METRIC]).toEqual([3.5, 12]);
    expect(emf._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: STORE_LATENCY_METRIC, Unit: 'Milliseconds' },
    ]);
  });

  it('prints nothing when an invocation counted nothing', () => {
    makeTelemetry('tasks').flush();
    expect(printed).toEqual([]);
  });
});

describe('store call timing', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));
  /** A store whose reads take 30 ms and whose queries 5 ms; puts fail after 2 ms. */
  const slowOps = {
    get: async () => {
      await wait(30);
      return { pk: 'T#a' };
    },
    query: async () => {
      await wait(5);
      return { items: [] };
    },
    put: async () => {
      await wait(2);
      throw Object.assign(new Error('condition'), { name: 'ConditionFailedError' });
    },
    update: async () => ({}),
    delete: async () => undefined,
  } as unknown as DocumentOps;

  it("lists each call's operation and milliseconds with the request that made it", async () => {
    const seen: StoreCall[] = [];
    const db = timedDocumentOps(slowOps, (call) => seen.push(call));
    const request = withStoreCalls(async () => {
      await db.get({ TableName: 'tasks', Key: {} });
      await db.query({ TableName: 'tasks', KeyConditionExpression: '#p = :p' });
      return 'answered';
    });
    await vi.advanceTimersByTimeAsync(40);
    const { result, calls } = await request;
    expect(result).toBe('answered');
    expect(calls).toEqual([
      { operation: 'GetItem', ms: 30 },
      { operation: 'Query', ms: 5 },
    ]);
    expect(seen).toEqual(calls);
  });

  it('keeps the calls of concurrent requests apart', async () => {
    const db = timedDocumentOps(slowOps, () => undefined);
    const reading = withStoreCalls(() => db.get({ TableName: 'tasks', Key: {} }));
    const listing = withStoreCalls(() => db.query({ TableName: 'tasks', KeyConditionExpression: 'k' }));
    await vi.advanceTimersByTimeAsync(40);
    expect((await reading).calls.map((call) => call.operation)).toEqual(['GetItem']);
    expect((await listing).calls.map((call) => call.operation)).toEqual(['Query']);
  });

  it('records a failed call with its error name, and still rethrows the error', async () => {
    const db = timedDocumentOps(slowOps, () => undefined);
    const calls: StoreCall[][] = [];
    const request = withStoreCalls(async () => {
      await expect(db.put({ TableName: 'tasks', Item: {} })).rejects.toThrow('condition');
    }).then((done) => calls.push(done.calls));
    await vi.advanceTimersByTimeAsync(5);
    await request;
    expect(calls).toEqual([[{ operation: 'PutItem', ms: 2, error: 'ConditionFailedError' }]]);
  });
});
