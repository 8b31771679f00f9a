import { randomBytes, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../src/domain/deadline.js';
import { LimitReachedError } from '../../src/domain/errors.js';
import { LIMITS, type Limits } from '../../src/domain/limits.js';
import { defaultListOf } from '../../src/domain/task-list.js';
import { makeTaskService } from '../../src/domain/task-service.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import type { DocumentOps } from '../../src/store/document-ops.js';
import { DynamoAmountCounter } from '../../src/store/dynamo-amount-counter.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { MemoryIdempotencyStore } from '../../src/store/memory-idempotency-store.js';

/**
 * The caps of tasks under concurrency (issue 25's racing test), on the real DynamoDB API: 20 clients
 * create at once against a cap, and no more tasks are stored than it allows.
 */
const TABLE = `tasks-caps-${randomUUID().slice(0, 8)}`;
const CURSORS = makeCursorCodec(randomBytes(32));
const deadline = deadlineIn(30 * 60_000);
let dynamo: LocalDynamo;
let ops: DocumentOps;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await ensureTable(dynamo.endpoint, TABLE);
  ops = dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint: dynamo.endpoint }));
});
afterAll(async () => {
  await dynamo?.close();
});

/** One client: its own service and stores over the shared table, as a Lambda container has. */
const client = (limits: Limits) =>
  makeTaskService({
    store: new DynamoTaskStore(ops, TABLE, deadline, CURSORS),
    idempotency: new MemoryIdempotencyStore(),
    counts: new DynamoAmountCounter(ops, TABLE, deadline),
    limits,
    now: () => new Date(),
    newId: uuidv7,
  });

const TASK = { title: 'race', description: '', status: 'PENDING' } as const;

async function race(owner: string, limits: Limits) {
  const list = defaultListOf(owner);
  const outcomes = await Promise.allSettled(
    Array.from({ length: 20 }, () => client(limits).createTask(list, owner, TASK)),
  );
  const stored = (await client(limits).listTasks(list, { limit: 100 })).items.length;
  const refused = outcomes.filter(
    (outcome) => outcome.status === 'rejected' && outcome.reason instanceof LimitReachedError,
  ).length;
  return { stored, refused, created: outcomes.filter((outcome) => outcome.status === 'fulfilled').length };
}

describe('20 clients creating at once', () => {
  it('store exactly N tasks against a cap of N, and the others get the cap', async () => {
    const result = await race(`p-${randomUUID()}`, { ...LIMITS, tasksPerList: 7 });
    expect(result).toEqual({ stored: 7, created: 7, refused: 13 });
  });

  it('store exactly what is left when the count is near the real cap (exact within the margin)', async () => {
    const owner = `p-${randomUUID()}`;
    const counts = new DynamoAmountCounter(ops, TABLE, deadline);
    await counts.add({ list: defaultListOf(owner) }, LIMITS.tasksPerList - 5);
    const result = await race(owner, LIMITS);
    expect(result).toEqual({ stored: 5, created: 5, refused: 15 });
    const past = client(LIMITS).createTask(defaultListOf(owner), owner, TASK);
    await expect(past).rejects.toThrow('This list holds 20,000 tasks, the most a list may hold');
  });
});
