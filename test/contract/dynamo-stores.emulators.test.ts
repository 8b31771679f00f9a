import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { deadlineIn } from '../../src/domain/deadline.js';
import { ensureTable, type LocalDynamo } from '../../src/local/dynamo-local.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import type { DocumentOps } from '../../src/store/document-ops.js';
import { DynamoAmountCounter } from '../../src/store/dynamo-amount-counter.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoIdempotencyStore } from '../../src/store/dynamo-idempotency-store.js';
import { DynamoListStore } from '../../src/store/dynamo-list-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { emulators } from '../support/emulators.js';
import { describeAmountCounterContract } from './amount-counter-contract.js';
import { describeChangeFeedContract } from './change-feed-contract.js';
import { describeIdempotencyStoreContract } from './idempotency-store-contract.js';
import { describeListCapsContract } from './list-caps-contract.js';
import { describeListStoreContract } from './list-store-contract.js';
import { describeOutlineContract } from './outline-contract.js';
import { describeTaskStoreContract } from './task-store-contract.js';

/** One cursor key for the file, as one server has. */
const CURSORS = makeCursorCodec(randomBytes(32));

/**
 * The store contracts on the DynamoDB adapters, through the client that ships (dynamo-http-ops), on both
 * emulators; memory-*.test.ts beside this file runs them on the in-memory stores. What only DynamoDB shows
 * (the item layout, the query plan of each listing) is test/integration/dynamo-task-store.test.ts.
 */
const deadline = deadlineIn(30 * 60_000);
for (const emulator of emulators()) {
  describe.skipIf(!emulator.available)(`on ${emulator.name}`, () => {
    const table = `tasks-${randomUUID().slice(0, 8)}`;
    let dynamo: LocalDynamo;
    let ops: DocumentOps;

    beforeAll(async () => {
      dynamo = await emulator.start();
      await ensureTable(dynamo.endpoint, table);
      ops = dynamoHttpDocumentOps(makeDynamoHttpClient({ region: 'us-east-1', endpoint: dynamo.endpoint }));
    });
    afterAll(async () => {
      await dynamo?.close();
    });

    describeTaskStoreContract('DynamoTaskStore', () => new DynamoTaskStore(ops, table, deadline, CURSORS));
    describeChangeFeedContract('DynamoTaskStore', () => new DynamoTaskStore(ops, table, deadline, CURSORS));
    describeOutlineContract('DynamoTaskStore', () => new DynamoTaskStore(ops, table, deadline, CURSORS));
    describeListStoreContract('DynamoListStore', () => new DynamoListStore(ops, table, deadline, CURSORS));
    describeListCapsContract(
      'DynamoListStore',
      (limits) => new DynamoListStore(ops, table, deadline, CURSORS, limits),
    );
    describeAmountCounterContract('DynamoAmountCounter', () => new DynamoAmountCounter(ops, table, deadline));
    describeIdempotencyStoreContract(
      'DynamoIdempotencyStore',
      () => new DynamoIdempotencyStore(ops, table, deadline),
    );
  });
}
