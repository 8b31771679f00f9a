import { randomBytes, randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../src/domain/deadline.js';
import { ListNotFoundError } from '../../src/domain/errors.js';
import { makeListService } from '../../src/domain/list-service.js';
import { newTask } from '../../src/domain/task.js';
import { positionAt } from '../../src/domain/task-order.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { inProcessPurger } from '../../src/local/list-purger.js';
import { LOCAL_DEPLOYER_CREDENTIALS } from '../../src/local/local-iam.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoListStore } from '../../src/store/dynamo-list-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { INDEXES, listPartitionKey } from '../../src/store/table-schema.js';
import { toItem } from '../../src/store/task-item.js';

const TABLE = `tasks-purge-${randomUUID().slice(0, 8)}`;
const CURSORS = makeCursorCodec(randomBytes(32));
const TASKS = 3_000;
const deadline = deadlineIn(30 * 60_000);
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ guard: false });
  await ensureTable(dynamo.endpoint, TABLE);
});
afterAll(async () => dynamo?.close());

/**
 * Deleting a list of thousands of tasks: the DELETE answers at once, the list and its tasks are out of
 * reach on the very next request, and the purge (the code the purge function runs on AWS, here in-process
 * as under `npm start`) leaves every task a tombstone.
 */
describe('deleting a list of several thousand tasks', () => {
  it('answers at once, hides its tasks at once, and purges them all in the background', async () => {
    const ops = dynamoHttpDocumentOps(
      makeDynamoHttpClient({ region: 'us-east-1', endpoint: dynamo.endpoint }),
    );
    const lines: Record<string, unknown>[] = [];
    const purger = inProcessPurger({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      tableName: TABLE,
      log: (message, fields) => lines.push({ message, ...fields }),
    });
    const lists = makeListService({
      lists: new DynamoListStore(ops, TABLE, deadline, CURSORS),
      purger,
      now: () => new Date(),
      newId: uuidv7,
    });
    const list = await lists.createList('alice', { title: 'Big' });
    const ref = { listId: list.listId };
    // Seeded in batches of 25, as the store would write them one by one.
    const seed = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { ...LOCAL_DEPLOYER_CREDENTIALS },
    });
    const at = new Date('2026-06-01T00:00:00Z');
    const items = Array.from({ length: TASKS }, (_, i) =>
      toItem(
        listPartitionKey(ref),
        newTask({ title: `t${i}`, description: '', status: 'PENDING' }, uuidv7(), at, {
          listId: list.listId,
          position: positionAt(new Date(at.getTime() + i)),
        }),
      ),
    );
    for (let i = 0; i < items.length; i += 25)
      await seed.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } })),
          },
        }),
      );
    seed.destroy();
    const tasks = new DynamoTaskStore(ops, TABLE, deadline, CURSORS);
    expect((await tasks.list(ref, { limit: 5, sort: 'position' })).items).toHaveLength(5);

    const started = performance.now();
    await lists.deleteList('alice', list.listId);
    const answeredMs = performance.now() - started;
    await expect(lists.listFor('alice', list.listId, 'read')).rejects.toBeInstanceOf(ListNotFoundError);
    expect((await lists.listLists('alice', { limit: 10 })).items.map((l) => l.listId)).toEqual(['@default']);

    await purger.idle();
    expect(lines).toEqual([{ message: 'List purged', listId: list.listId, purged: TASKS }]);
    const left = await ops.query(
      {
        TableName: TABLE,
        IndexName: INDEXES.byPosition.indexName,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': INDEXES.byPosition.partitionKey },
        ExpressionAttributeValues: { ':p': listPartitionKey(ref) },
        Limit: 1,
      },
      deadline,
    );
    expect(left.items).toEqual([]);
    const feed = await tasks.changes(ref, {
      since: '2026-01-01T00:00:00.000Z',
      until: new Date(Date.now() + 60_000).toISOString(),
      limit: 100,
    });
    expect(feed.items.every((entry) => 'deleted' in entry)).toBe(true);
    expect(feed.items).toHaveLength(100);
    console.log(`deleted a list of ${TASKS} tasks: answered in ${answeredMs.toFixed(0)} ms, purged after`);
  }, 180_000);
});
