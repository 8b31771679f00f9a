import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';

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
