import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { call, type Reply } from '../support/http.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * The store fails under a running server: the test owns the dynalite and a proxy in front of it
 * (DYNAMODB_ENDPOINT), stops, stalls or throttles it, and checks that every request is answered quickly
 * and cleanly, and that the server recovers when the store returns. A 503 (not API Gateway's 504 after 29 s)
 * is the proof that the request's own deadline ended the wait; the figures are printed, never asserted.
 */
let dynamo: LocalDynamo;
let proxy: TcpProxy;
let seeded: string;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  const target = new URL(dynamo.endpoint);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
});
// After hooks run in reverse: the server stops before the proxy and the store behind it.
afterAll(async () => {
  await proxy?.close();
  await dynamo?.close();
});
const server = useLocalServer(() => ({ env: { DYNAMODB_ENDPOINT: proxy.endpoint } }));
const url = (path: string) => `${server.baseUrl}${path}`;
const as = () => ({ token: server.token });

beforeAll(async () => {
  const created = await call(url('/tasks'), 'POST', { ...as(), body: { title: 'before the outage' } });
  expect(created.status).toBe(201);
  seeded = created.json.taskId;
});

/** One of each operation, timed. */
async function everyOperation(): Promise<{ reply: Reply; ms: number }[]> {
  const requests: [string, string, object?][] = [
    ['/tasks', 'GET'],
    [`/tasks/${seeded}`, 'GET'],
    ['/tasks', 'POST', { body: { title: 'during the outage' } }],
    [`/tasks/${seeded}`, 'PUT', { body: { status: 'DONE' } }],
    [`/tasks/${seeded}`, 'DELETE'],
  ];
  return Promise.all(
    requests.map(async ([path, method, extra]) => {
      const started = performance.now();
      const reply = await call(url(path), method, { ...as(), ...extra });
      return { reply, ms: performance.now() - started };
    }),
  );
}

function expectCleanFailures(results: { reply: Reply; ms: number }[], status: number) {
  for (const { reply } of results) {
    expect(reply.status).toBe(status);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(typeof reply.json?.message).toBe('string');
    expect(reply.text).not.toMatch(/ECONN|socket|127\.0\.0\.1|stack/i);
  }
  const slowest = Math.round(Math.max(...results.map((r) => r.ms)));
  console.log(`store ${status === 429 ? 'throttling' : 'failure'}: ${status} in at most ${slowest} ms`);
}

async function expectRecovered() {
  await proxy.resume();
  const reply = await call(url(`/tasks/${seeded}`), 'GET', as());
  expect(reply.status).toBe(200);
  expect(reply.json.title).toBe('before the outage');
  expect(reply.json.version).toBe(1);
}

describe('when the store', () => {
  it('is down, every operation answers 503 with Retry-After before the gateway times out, and the server recovers', async () => {
    await proxy.stop();
    expectCleanFailures(await everyOperation(), 503);
    await expectRecovered();
  });

  it('stalls, every operation answers 503 with Retry-After before the gateway times out, and the server recovers', async () => {
    proxy.stall();
    expectCleanFailures(await everyOperation(), 503);
    await expectRecovered();
  });

  it('throttles, every operation answers 429 with Retry-After, and the server recovers', async () => {
    proxy.throttle();
    expectCleanFailures(await everyOperation(), 429);
    await expectRecovered();
  });

  it('returns, the tasks list holds exactly what was acknowledged', async () => {
    const listed = await call(url('/tasks'), 'GET', as());
    expect(listed.json.map((t: { taskId: string }) => t.taskId)).toEqual([seeded]);
  });
});
