import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listDeleted, NOT_A_DELETED_LIST } from '../../test/support/stream-records.js';
import { lambdaContext } from '../local/proxy-event.js';

/**
 * The purge Lambda's composition root as Lambda loads it: its settings from the environment, and the
 * answer it gives. DynamoDB is a port nothing listens on, so every purge it starts fails, and the answer
 * must name that record.
 */
let handler: typeof import('./purge.js')['handler'];
const printed: string[] = [];
beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'tasks');
  vi.stubEnv('DYNAMODB_ENDPOINT', 'http://127.0.0.1:9');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  ({ handler } = await import('./purge.js'));
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const context = () => lambdaContext('task-service-purge', 'req-1', 300_000);
const lines = () => printed.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the purge Lambda', () => {
  it('answers exactly the batch-failure shape, empty when the batch holds no deleted list', async () => {
    const answer = await handler({ Records: NOT_A_DELETED_LIST.map(([, record]) => record) }, context());
    expect(answer).toEqual({ batchItemFailures: [] });
  });

  it('names the record whose purge failed, and says so in its one line per batch', async () => {
    printed.length = 0;
    const record = listDeleted('0193a0c0-list');
    const answer = await handler({ Records: [record] }, context());
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber }] });
    expect(lines().find((line) => line.message === 'Purge batch handled')).toMatchObject({
      component: 'purge',
      records: 1,
      listsPurged: 0,
      tasksPurged: 0,
      failed: 1,
    });
    expect(lines().find((line) => line.message === 'List purge failed')).toMatchObject({
      level: 'ERROR',
      listId: '0193a0c0-list',
    });
  });
});
