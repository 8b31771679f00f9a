import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, type LocalDynamo } from '../../src/local/dynamo-local.js';
import { emulators } from '../support/emulators.js';

/**
 * Where dynalite and DynamoDB Local answer differently, what each does, and which is AWS's behaviour. The
 * code follows AWS; these tests pin the differences the project relies on knowing.
 */
async function send(endpoint: string, operation: string, body: object): Promise<Record<string, unknown>> {
  const reply = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      // dynalite wants a date beside a signature; neither emulator checks the signature itself.
      'X-Amz-Date': '20200101T000000Z',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return (await reply.json()) as Record<string, unknown>;
}

for (const emulator of emulators()) {
  describe.skipIf(!emulator.available)(`${emulator.name}`, () => {
    const table = `tasks-${randomUUID().slice(0, 8)}`;
    let dynamo: LocalDynamo;
    beforeAll(async () => {
      dynamo = await emulator.start();
      await ensureTable(dynamo.endpoint, table);
    });
    afterAll(async () => {
      await dynamo?.close();
    });

    // AWS reports each index's units with INDEXES (DynamoDB Local does); dynalite reports the table only, so
    // the cost benchmark runs on DynamoDB Local.
    it(`reports consumed capacity ${emulator.name === 'dynalite' ? 'for the table only' : 'per index, as AWS does'}`, async () => {
      const reply = await send(dynamo.endpoint, 'PutItem', {
        TableName: table,
        Item: { pk: { S: 'T#a' }, sk: { S: '1' }, statusKey: { S: 'T#a#PENDING' } },
        ReturnConsumedCapacity: 'INDEXES',
      });
      const consumed = reply.ConsumedCapacity as { CapacityUnits: number; GlobalSecondaryIndexes?: object };
      if (emulator.name === 'dynalite') {
        expect(consumed).toMatchObject({ CapacityUnits: 1, Table: { CapacityUnits: 1 } });
        expect(consumed.GlobalSecondaryIndexes).toBeUndefined();
      } else {
        expect(consumed.CapacityUnits).toBe(2);
        expect(consumed.GlobalSecondaryIndexes).toEqual({ byStatus: { CapacityUnits: 1 } });
      }
    });
  });
}
