import { randomBytes, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTombstone, type TaskChangeEntry } from '../../src/domain/change-feed.js';
import { deadlineIn } from '../../src/domain/deadline.js';
import type { Task } from '../../src/domain/task.js';
import { defaultListOf, type ListRef } from '../../src/domain/task-list.js';
import { makeTaskService } from '../../src/domain/task-service.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import { aroundDocumentOps, type DocumentOps } from '../../src/store/document-ops.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { MemoryIdempotencyStore } from '../../src/store/memory-idempotency-store.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

/**
 * The feed's guarantee under the race it exists for: a write takes its `updatedAt`, then becomes visible
 * later (here: held back before it is sent), while a client syncs. The service and the DynamoDB store are
 * real; only the delay is staged.
 */
const TABLE = `tasks-race-${randomUUID().slice(0, 8)}`;
const deadline = deadlineIn(30 * 60_000);
const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
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

/** A service whose writes are each held back by `delayOf()` ms after their `updatedAt` was taken. */
function serviceWith(settleMs: number, delayOf: () => number) {
  const slow = aroundDocumentOps(ops, async (name, _input, call) => {
    if (name === 'PutItem' || name === 'UpdateItem') await sleep(delayOf());
    return call();
  });
  return makeTaskService({
    store: new DynamoTaskStore(slow, TABLE, deadline, CURSORS),
    idempotency: new MemoryIdempotencyStore(),
    now: () => new Date(),
    newId: uuidv7,
    feedSettleMs: settleMs,
  });
}

type Service = ReturnType<typeof serviceWith>;

/** A client's mirror, kept by syncing in small pages from the greatest `updatedAt` it has seen. */
function mirrorOf(service: Service, ownerId: ListRef) {
  const tasks = new Map<string, Task>();
  let since = new Date(Date.now() - 60_000).toISOString();
  return {
    tasks,
    async sync() {
      let cursor: string | undefined;
      let greatest = since;
      do {
        const page = await service.listTasks(ownerId, {
          limit: 3,
          updatedSince: since,
          ...(cursor && { cursor }),
        });
        for (const change of page.items as TaskChangeEntry[]) {
          if (isTombstone(change)) tasks.delete(change.taskId);
          else tasks.set(change.taskId, change);
          if (change.updatedAt > greatest) greatest = change.updatedAt;
        }
        cursor = page.nextCursor;
      } while (cursor);
      since = greatest;
    },
  };
}

async function everyTask(service: Service, ownerId: ListRef): Promise<Task[]> {
  const all: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.listTasks(ownerId, { limit: 100, ...(cursor && { cursor }) });
    all.push(...(page.items as Task[]));
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const byId = (tasks: Iterable<Task>) => [...tasks].sort((a, b) => a.taskId.localeCompare(b.taskId));

describe('a write visible after a later one', () => {
  /** A's updatedAt is taken first, B's second; B is visible at once, A 300 ms later. */
  async function stage(settleMs: number) {
    const ownerId = defaultListOf(`owner-${randomUUID()}`);
    const delays = [300, 0];
    const service = serviceWith(settleMs, () => delays.shift() ?? 0);
    const mirror = mirrorOf(service, ownerId);
    const late = service.createTask(ownerId, 'owner', { title: 'A', description: '', status: 'PENDING' });
    await sleep(5);
    await service.createTask(ownerId, 'owner', { title: 'B', description: '', status: 'PENDING' });
    await sleep(20);
    await mirror.sync(); // A is not visible yet: without a settle time, B is served
    await late;
    await sleep(settleMs + 20);
    await mirror.sync();
    return [...mirror.tasks.values()].map((t) => t.title).sort();
  }

  it('is missed by a client passing back the greatest updatedAt when the feed does not wait (why it waits)', async () => {
    expect(await stage(0)).toEqual(['B']);
  });

  it('reaches that client when the feed serves only changes older than the settle time', async () => {
    expect(await stage(400)).toEqual(['A', 'B']);
  });
});

describe('racing writers and a client syncing in pages of 3', () => {
  it('leave the mirror equal to the server', async () => {
    const ownerId = defaultListOf(`owner-${randomUUID()}`);
    const service = serviceWith(500, () => Math.random() * 250);
    const mirror = mirrorOf(service, ownerId);
    const live: string[] = [];
    const writer = async (n: number) => {
      for (let i = 0; i < 15; i++) {
        const roll = Math.random();
        const taskId = live[Math.floor(Math.random() * live.length)];
        if (roll < 0.4 || !taskId) {
          const { task } = await service.createTask(ownerId, 'owner', {
            title: `w${n}.${i}`,
            description: '',
            status: 'PENDING',
          });
          live.push(task.taskId);
        } else if (roll < 0.8) {
          await service
            .updateTask(ownerId, taskId, { title: `w${n}.${i}`, status: 'DONE' })
            .catch(() => undefined);
        } else {
          live.splice(live.indexOf(taskId), 1);
          await service.deleteTask(ownerId, taskId).catch(() => undefined);
        }
      }
    };
    let writing = true;
    const syncing = (async () => {
      while (writing) await mirror.sync();
    })();
    await Promise.all([1, 2, 3, 4].map(writer));
    writing = false;
    await syncing;
    await sleep(800);
    await mirror.sync();
    const server = await everyTask(service, ownerId);
    expect(server.length).toBeGreaterThan(0);
    expect(byId(mirror.tasks.values())).toEqual(byId(server));
  });
});
