import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { listDeleted, NOT_A_DELETED_LIST, streamRecord } from '../../test/support/stream-records.js';
import type { Deadline } from '../domain/deadline.js';
import { DeadlineExceededError } from '../domain/errors.js';
import {
  deletedListIdOf,
  makePurgeBatchHandler,
  type PurgeBatchDeps,
  STOP_BEFORE_TIMEOUT_MS,
} from './purge-stream.js';
import type { Logger } from './telemetry.js';

type Line = [level: string, message: string, fields: Record<string, unknown>];

/** The handler over a fake purge: what it was asked, and what the logger heard. */
function harness(purge: (listId: string, deadline: Deadline) => Promise<{ purged: number }>) {
  const calls: { listId: string; deadline: Deadline }[] = [];
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      void lines.push([level, message, Object.assign({}, ...extra)]);
  const logger: Logger = {
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
    appendKeys: () => {},
  };
  const deps: PurgeBatchDeps = {
    purgeList: (listId, deadline) => {
      calls.push({ listId, deadline });
      return purge(listId, deadline);
    },
    logger,
  };
  return { handle: makePurgeBatchHandler(deps), calls, lines };
}

const batchOf = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const withRemaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });
const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber;

describe('picking the deleted lists out of a batch', () => {
  it('reads the list id off a deleted list’s meta item', () => {
    expect(deletedListIdOf(listDeleted('0193a0c0-list'))).toBe('0193a0c0-list');
  });

  it.each(NOT_A_DELETED_LIST)('finds no list to purge in %s', (_, record) => {
    expect(deletedListIdOf(record)).toBeUndefined();
  });

  it('finds none in a list meta item with an empty id', () => {
    expect(
      deletedListIdOf(streamRecord('MODIFY', { pk: 'L#', sk: '#list' }, { deleted: { BOOL: true } })),
    ).toBe(undefined);
  });
});

describe('the purge batch handler', () => {
  it('purges each deleted list of the batch, and answers no failures', async () => {
    const { handle, calls } = harness(async (listId) => ({ purged: listId === 'a' ? 3 : 20_000 }));
    const outcome = await handle(batchOf(listDeleted('a'), listDeleted('b')), withRemaining(300_000));
    expect(calls.map((call) => call.listId)).toEqual(['a', 'b']);
    expect(outcome).toEqual({ batchItemFailures: [], records: 2, listsPurged: 2, tasksPurged: 20_003 });
  });

  it('logs how many tasks it purged, per list', async () => {
    const { handle, lines } = harness(async () => ({ purged: 7 }));
    await handle(batchOf(listDeleted('a')), withRemaining(300_000));
    expect(lines).toContainEqual(['INFO', 'List purged', { listId: 'a', purged: 7 }]);
  });

  it('leaves every other record alone, and warns that the filter let it through', async () => {
    const { handle, calls, lines } = harness(async () => ({ purged: 1 }));
    const others = NOT_A_DELETED_LIST.map(([, record]) => record);
    const outcome = await handle(batchOf(...others), withRemaining(300_000));
    expect(calls).toEqual([]);
    expect(outcome.batchItemFailures).toEqual([]);
    expect(lines.filter(([level]) => level === 'WARN')).toHaveLength(others.length);
  });

  it('reports the sequence number of each list whose purge failed, and purges the others', async () => {
    const failing = listDeleted('bad');
    const { handle, calls, lines } = harness(async (listId) => {
      if (listId === 'bad') throw new Error('throttled');
      return { purged: 1 };
    });
    const outcome = await handle(
      batchOf(listDeleted('a'), failing, listDeleted('c')),
      withRemaining(300_000),
    );
    expect(calls.map((call) => call.listId)).toEqual(['a', 'bad', 'c']);
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(failing) }]);
    expect(outcome.listsPurged).toBe(2);
    const [error] = lines.filter(([level]) => level === 'ERROR');
    expect(error?.[2]).toMatchObject({ listId: 'bad', sequenceNumber: sequenceOf(failing) });
  });

  it('reports the lists its time ran out on, so the retry continues them', async () => {
    const late = [listDeleted('x'), listDeleted('y')];
    const { handle } = harness(async () => {
      throw new DeadlineExceededError();
    });
    const outcome = await handle(batchOf(...late), withRemaining(1_000));
    expect(outcome.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(late.map(sequenceOf));
  });

  it('gives every purge of the batch one deadline, short of the function’s timeout', async () => {
    const { handle, calls } = harness(async () => ({ purged: 0 }));
    const before = Date.now();
    await handle(batchOf(listDeleted('a'), listDeleted('b')), withRemaining(300_000));
    const after = Date.now();
    const [first, second] = calls.map((call) => call.deadline.at);
    expect(first).toBe(second);
    expect(first).toBeGreaterThanOrEqual(before + 300_000 - STOP_BEFORE_TIMEOUT_MS);
    expect(first).toBeLessThanOrEqual(after + 300_000 - STOP_BEFORE_TIMEOUT_MS);
  });

  it('fails the whole batch (never skips it) when a failed record has no sequence number', async () => {
    const record = listDeleted('a');
    delete record.dynamodb?.SequenceNumber;
    const { handle } = harness(async () => {
      throw new Error('boom');
    });
    const outcome = await handle(batchOf(record), withRemaining(300_000));
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: '' }]);
  });
});
