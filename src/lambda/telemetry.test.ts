import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  it('leaves the store operations untouched outside an active trace', () => {
    const ops = {} as DocumentOps;
    expect(tracedDocumentOps(ops, makeTracer())).toBe(ops);
  });
});
