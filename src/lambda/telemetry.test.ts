import type { Tracer } from '@aws-lambda-powertools/tracer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineIn } from '../domain/deadline.js';
import type { DocumentOps } from '../store/document-ops.js';
import { METRIC, makeTelemetry } from './telemetry.js';
import { makeTracer, tracedDocumentOps } from './tracing.js';

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

  it('prints nothing when an invocation counted nothing', () => {
    makeTelemetry('tasks').flush();
    expect(printed).toEqual([]);
  });
});

describe('tracing', () => {
  const deadline = deadlineIn(60_000);

  it('leaves the store operations untouched outside an active trace', () => {
    const ops = {} as DocumentOps;
    expect(tracedDocumentOps(ops, makeTracer())).toBe(ops);
  });

  /** A tracer in an active trace, recording the subsegments it is asked for. */
  function activeTracer() {
    const opened: { name: string; annotations: Record<string, string>; errors: Error[]; closed: boolean }[] =
      [];
    const parent = {
      addNewSubsegment(name: string) {
        const record = {
          name,
          annotations: {} as Record<string, string>,
          errors: [] as Error[],
          closed: false,
        };
        opened.push(record);
        return {
          addAnnotation: (key: string, value: string) => {
            record.annotations[key] = value;
          },
          addError: (error: Error) => record.errors.push(error),
          close: () => {
            record.closed = true;
          },
        };
      },
    };
    const current: unknown[] = [parent];
    const tracer = {
      isTracingEnabled: () => true,
      getSegment: () => current.at(-1),
      setSegment: (segment: unknown) => current.push(segment),
    } as unknown as Tracer;
    return { tracer, opened, current: () => current.at(-1), parent };
  }

  it('wraps each DynamoDB call in its own closed subsegment named after the operation', async () => {
    const { tracer, opened, current, parent } = activeTracer();
    const ops = {
      get: async () => ({ pk: 'T#a' }),
      query: async () => ({ items: [] }),
    } as unknown as DocumentOps;
    const traced = tracedDocumentOps(ops, tracer);
    await traced.get({ TableName: 'tasks', Key: {} }, deadline);
    await traced.query({ TableName: 'tasks', KeyConditionExpression: '#p = :p' }, deadline);
    expect(opened.map((s) => [s.name, s.annotations.table, s.closed])).toEqual([
      ['DynamoDB.GetItem', 'tasks', true],
      ['DynamoDB.Query', 'tasks', true],
    ]);
    expect(current()).toBe(parent);
  });

  it('records a failed call on its subsegment and still rethrows it', async () => {
    const { tracer, opened, current, parent } = activeTracer();
    const failure = new Error('throttled');
    const ops = { put: async () => Promise.reject(failure) } as unknown as DocumentOps;
    await expect(tracedDocumentOps(ops, tracer).put({ TableName: 'tasks', Item: {} }, deadline)).rejects.toBe(
      failure,
    );
    expect(opened[0]).toMatchObject({ name: 'DynamoDB.PutItem', errors: [failure], closed: true });
    expect(current()).toBe(parent);
  });
});
