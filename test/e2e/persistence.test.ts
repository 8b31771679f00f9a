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
    const token = /Authorization token \(generated for this run\): (\S+)/.exec(current.stdout())?.[1] ?? '';
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

  it('generates a new token on every start, so an old one stops working', async () => {
    const before = tokenOf(current);

    const server = await restart('stop');

    expect(tokenOf(server)).not.toBe(before);
    const reply = await call(`${server.baseUrl}/tasks`, 'GET', { token: before });
    expect(reply.status).toBe(401);
  });
});
