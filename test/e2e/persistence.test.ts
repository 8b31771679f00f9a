import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { type LocalServer, newDataDir, startLocalServer } from '../support/local-server.js';

/** Restarts and crashes of `npm start` on one DATA_DIR. The servers run without API_TOKEN, as a new user's do. */
const dataDir = newDataDir();
let current: LocalServer;

const tokenOf = (server: LocalServer): string => server.token;
const noToken = { env: { API_TOKEN: '' } };

async function restart(how: 'stop' | 'kill9'): Promise<LocalServer> {
  await (how === 'stop' ? current.stop('SIGTERM') : current.kill9());
  current = await startLocalServer({ ...noToken, dataDir });
  return current;
}

async function createTask(server: LocalServer, title: string) {
  const reply = await call(`${server.baseUrl}/tasks`, 'POST', { token: tokenOf(server), body: { title } });
  expect(reply.status).toBe(201);
  return reply.json as { taskId: string; title: string };
}

beforeAll(async () => {
  current = await startLocalServer({ ...noToken, dataDir });
});
afterAll(async () => {
  await current?.destroy();
});

describe('a server started without API_TOKEN', () => {
  it('prints a generated token that the API accepts', async () => {
    const token = /Authorization token \(kept in \S+api-token\): (\S+)/.exec(current.stdout())?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(24);
    const reply = await call(`${current.baseUrl}/tasks`, 'GET', { token });
    expect(reply.status).toBe(200);
  });

  it('accepts no well-known default token', async () => {
    const replies = await Promise.all(
      ['', 'default', 'token', 'secret', 'changeme'].map((token) =>
        call(`${current.baseUrl}/tasks`, 'GET', { token: token || ' ' }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
  });
});

describe('persistence', () => {
  it('keeps tasks across a SIGTERM and a restart on the same DATA_DIR', async () => {
    const task = await createTask(current, 'survives a restart');
    const first = current;

    const server = await restart('stop');

    expect(first.child.exitCode).toBe(0);
    expect(first.stdout()).toContain('SIGTERM: shutting down');
    const reply = await call(`${server.baseUrl}/tasks/${task.taskId}`, 'GET', { token: tokenOf(server) });
    expect(reply.status).toBe(200);
    expect(reply.json.title).toBe('survives a restart');
  });

  it('keeps every acknowledged create, update and delete across kill -9 right after the last reply', async () => {
    const created = await createTask(current, 'survives a crash');
    const kept = await createTask(current, 'to update');
    const removed = await createTask(current, 'to delete');
    const token = tokenOf(current);
    await call(`${current.baseUrl}/tasks/${kept.taskId}`, 'PUT', { token, body: { status: 'DONE' } });
    const deleteReply = await call(`${current.baseUrl}/tasks/${removed.taskId}`, 'DELETE', { token });
    expect(deleteReply.status).toBe(204);

    const server = await restart('kill9');

    const after = { token: tokenOf(server) };
    const replies = await Promise.all(
      [created, kept, removed].map((task) => call(`${server.baseUrl}/tasks/${task.taskId}`, 'GET', after)),
    );
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 404]);
    expect(replies[0]?.json.title).toBe('survives a crash');
    expect(replies[1]?.json.status).toBe('DONE');
  });

  it('loses no acknowledged write when killed with -9 in the middle of a stream of writes', async () => {
    const token = tokenOf(current);
    const base = current.baseUrl;
    const acked = new Map<string, { version: number; deleted: boolean }>();
    const unacked: { key: string; title: string }[] = [];
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const create = { key: randomUUID(), title: `stream ${w}.${i}` };
        let created = false;
        try {
          const made = await call(`${base}/tasks`, 'POST', {
            token,
            body: { title: create.title },
            headers: { 'Idempotency-Key': create.key },
          });
          if (made.status !== 201) throw new Error(`create answered ${made.status}`);
          const id: string = made.json.taskId;
          created = true;
          acked.set(id, { version: 1, deleted: false });
          const put = await call(`${base}/tasks/${id}`, 'PUT', {
            token,
            body: { status: 'DONE' },
            headers: { 'If-Match': '"1"' },
          });
          if (put.status === 200) acked.set(id, { version: 2, deleted: false });
          if (i % 3 === 0 && (await call(`${base}/tasks/${id}`, 'DELETE', { token })).status === 204)
            acked.set(id, { version: 2, deleted: true });
        } catch {
          if (!created) unacked.push(create);
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acked.size < 40) await new Promise((done) => setTimeout(done, 10));
    killed = true;
    await current.kill9();
    await Promise.all(writers);

    const server = await restart('stop');

    const after = { token: tokenOf(server) };
    for (const [id, expected] of acked) {
      const reply = await call(`${server.baseUrl}/tasks/${id}`, 'GET', after);
      if (expected.deleted) expect(reply.status, id).toBe(404);
      else expect([reply.status, reply.json.version >= expected.version]).toEqual([200, true]);
    }
    // A create cut off by the crash is retried with its key: it yields exactly one task, never two.
    for (const create of unacked) {
      let reply = await call(`${server.baseUrl}/tasks`, 'POST', {
        ...after,
        body: { title: create.title },
        headers: { 'Idempotency-Key': create.key },
      });
      for (let tries = 0; reply.status === 409 && tries < 20; tries++) {
        await new Promise((done) => setTimeout(done, 500));
        reply = await call(`${server.baseUrl}/tasks`, 'POST', {
          ...after,
          body: { title: create.title },
          headers: { 'Idempotency-Key': create.key },
        });
      }
      expect(reply.status).toBe(201);
    }
    const listed = await call(`${server.baseUrl}/tasks?limit=100`, 'GET', after);
    const titles = listed.json.map((t: { title: string }) => t.title) as string[];
    for (const create of unacked) expect(titles.filter((t) => t === create.title)).toHaveLength(1);
    console.log(`kill -9: ${acked.size} acknowledged writes kept, ${unacked.length} cut-off creates retried`);
  });

  it('keeps its generated token across a restart, so a signed-in client stays signed in', async () => {
    const before = tokenOf(current);

    const server = await restart('stop');

    expect(tokenOf(server)).toBe(before);
    const reply = await call(`${server.baseUrl}/tasks`, 'GET', { token: before });
    expect(reply.status).toBe(200);
  });

  it('lets API_TOKEN win over the kept token', async () => {
    const kept = tokenOf(current);
    await current.stop('SIGTERM');
    current = await startLocalServer({ env: { API_TOKEN: 'chosen-token-0123456789' }, dataDir });

    expect(current.stdout()).not.toContain(kept);
    expect((await call(`${current.baseUrl}/tasks`, 'GET', { token: kept })).status).toBe(401);
    expect((await call(`${current.baseUrl}/tasks`, 'GET', { token: current.token })).status).toBe(200);
  });
});
