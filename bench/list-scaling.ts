/**
 * `npx tsx bench/list-scaling.ts`: list latency p50 for one page of 20, for an owner with 20 tasks and an
 * owner with 5,000, for each index-backed filter combination. Runs the DynamoDB adapter over the shipped
 * client against embedded dynalite (in memory), so the figures compare combinations and sizes; they are not AWS latencies.
 */

import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { deadlineIn, REQUEST_DEADLINE_MS } from '../src/domain/deadline.js';
import { TaskExistsError } from '../src/domain/errors.js';
import type { ListQuery } from '../src/domain/list-query.js';
import { newTask, TASK_STATUSES, type Task } from '../src/domain/task.js';
import { defaultListOf, type ListRef } from '../src/domain/task-list.js';
import { ensureTable, startLocalDynamo } from '../src/local/dynamo-local.js';
import { makeCursorCodec } from '../src/store/cursor.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../src/store/dynamo-http-ops.js';
import { DynamoTaskStore } from '../src/store/dynamo-task-store.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

const SIZES = [20, 5000];
const ROUNDS = 60;
const COMBINATIONS: Record<string, Omit<ListQuery, 'limit'>> = {
  'no filter (createdAt)': {},
  'status + sort=updatedAt desc': { status: 'PENDING', sort: 'updatedAt', order: 'desc' },
  'status + dueAfter + dueBefore': {
    status: 'PENDING',
    sort: 'dueDate',
    dueAfter: '2026-01-01T00:00:00.000Z',
    dueBefore: '2027-01-01T00:00:00.000Z',
  },
  'tag (5 slot queries merged)': { tag: 'common' },
  'sort=position (the outline)': { sort: 'position' },
};

const dynamo = await startLocalDynamo();
await ensureTable(dynamo.endpoint, 'bench');
const ops = dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint: dynamo.endpoint }));
/** A store for one request, with the service's deadline, as the task function makes one. */
const store = () => new DynamoTaskStore(ops, 'bench', deadlineIn(REQUEST_DEADLINE_MS), CURSORS);

async function seed(ownerId: ListRef, count: number): Promise<void> {
  const tasks = Array.from({ length: count }, (_, i) =>
    newTask(
      {
        title: `task ${i}`,
        description: '',
        status: TASK_STATUSES[i % 3] ?? 'PENDING',
        dueDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        tags: i % 2 === 0 ? ['common', `t${i % 7}`] : [`t${i % 7}`, 'common'],
      },
      uuidv7(),
      new Date(),
    ),
  );
  // A retried put whose first attempt landed reports the task as existing: it is there, which is all we need.
  const put = (task: Task) =>
    store()
      .create(ownerId, task)
      .catch((error: unknown) => {
        if (!(error instanceof TaskExistsError)) throw error;
      });
  for (let i = 0; i < tasks.length; i += 10) await Promise.all(tasks.slice(i, i + 10).map(put));
}

async function p50(ownerId: ListRef, query: Omit<ListQuery, 'limit'>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const page = await store().list(ownerId, { ...query, limit: 20 });
    times.push(performance.now() - started);
    if (page.items.length === 0) throw new Error('the benchmark selected nothing');
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

for (const size of SIZES) await seed(defaultListOf(`owner-${size}`), size);
console.log(`| combination | p50 at ${SIZES.join(' | p50 at ')} tasks |`);
console.log(`| --- |${SIZES.map(() => ' ---: |').join('')}`);
for (const [name, query] of Object.entries(COMBINATIONS)) {
  const figures: string[] = [];
  for (const size of SIZES)
    figures.push(`${(await p50(defaultListOf(`owner-${size}`), query)).toFixed(1)} ms`);
  console.log(`| ${name} | ${figures.join(' | ')} |`);
}
await dynamo.close();
