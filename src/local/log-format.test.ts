import { describe, expect, it } from 'vitest';
import { accessLineOf, logFormatOf, telemetryEnv } from './log-format.js';

const entry = { requestId: 'r-1', method: 'GET', path: '/dev/tasks', status: 200, latencyMs: 3.14 };

describe('logFormatOf', () => {
  it('is short at a terminal and JSON when piped, unless LOG_FORMAT says', () => {
    expect(logFormatOf(undefined, true)).toBe('short');
    expect(logFormatOf(undefined, false)).toBe('json');
    expect(logFormatOf(undefined, undefined)).toBe('json');
    expect(logFormatOf('pretty', false)).toBe('pretty');
    expect(logFormatOf('json', true)).toBe('json');
  });
});

describe('accessLineOf', () => {
  it('writes method, path, status and milliseconds when short', () => {
    expect(accessLineOf('short')(entry)).toBe('GET /dev/tasks 200 3.1 ms');
  });

  it('writes the whole entry as one JSON object otherwise', () => {
    for (const format of ['json', 'pretty'] as const)
      expect(JSON.parse(accessLineOf(format)(entry))).toEqual({ type: 'access', ...entry });
  });
});

describe('telemetryEnv', () => {
  it('keeps only warnings and errors and no metric lines from the functions when short', () => {
    expect(telemetryEnv('short', 'INFO')).toEqual({
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_DEV: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    expect(telemetryEnv('short', 'ERROR').POWERTOOLS_LOG_LEVEL).toBe('ERROR');
  });

  it('keeps LOG_LEVEL and the metric lines otherwise, indented when pretty', () => {
    expect(telemetryEnv('json', 'DEBUG')).toEqual({
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      POWERTOOLS_DEV: 'false',
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    expect(telemetryEnv('pretty', 'INFO').POWERTOOLS_DEV).toBe('true');
  });
});
