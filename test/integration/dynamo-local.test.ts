import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../src/aws/aws-json-client.js';
import { type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

describe('startLocalDynamo', () => {
  it('hosts dynalite off this thread: it answers while this thread is blocked', () => {
    // execFileSync blocks this thread until the child is done: an inline dynalite could not answer it.
    const ask = `fetch(${JSON.stringify(dynamo.endpoint)}, { method: 'POST', body: '{}' }).then((r) => console.log(r.status))`;

    const status = execFileSync(process.execPath, ['-e', ask], { timeout: 10_000, encoding: 'utf8' });

    expect(status.trim()).toMatch(/^\d{3}$/); // any HTTP answer: dynalite's own refusal of this one
  });

  it('stops its thread and frees its port on close', async () => {
    const other = await startLocalDynamo();
    await other.close();

    await expect(fetch(other.endpoint, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});

describe('startLocalDynamo, on either thread', () => {
  /** A call the task function's role does not allow, signed as the function signs. */
  const deleteTable = (endpoint: string) =>
    makeDynamoHttpClient({ region: 'us-east-1', endpoint })('DeleteTable', { TableName: 'tasks' });

  it.each(['worker', 'inline'] as const)(
    'holds the task function to its role on the %s thread, as IAM does',
    async (thread) => {
      const store = await startLocalDynamo({ thread });
      try {
        const refusal = await deleteTable(store.endpoint).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(AwsServiceError);
        expect((refusal as AwsServiceError).name).toBe('AccessDeniedException');
      } finally {
        await store.close();
      }
    },
  );

  it('lets every call through with the guard off (the bench floor)', async () => {
    const store = await startLocalDynamo({ guard: false });
    try {
      const refusal = await deleteTable(store.endpoint).catch((error: unknown) => error);
      expect((refusal as AwsServiceError).name).toBe('ResourceNotFoundException');
    } finally {
      await store.close();
    }
  });
});
