import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';

/**
 * The README flow, against any deployment: `SMOKE_BASE_URL=https://…/dev API_TOKEN=… npm run smoke` (the
 * deploy workflow does this after `cdk deploy`). Without it, it runs against a local server, so it is
 * exercised on every `npm test`. It leaves nothing behind: the task it creates, it deletes.
 */
// Not BASE_URL: Vitest sets that to Vite's base path ('/') over the caller's, so a deployment named by it
// was silently never tested.
const target = process.env.SMOKE_BASE_URL || undefined;
/**
 * An origin the stage allows, sent as a browser on it would: the deploy workflow passes the web app's
 * (SMOKE_ORIGIN); a stage that allows `*` allows any.
 */
const origin = process.env.SMOKE_ORIGIN || 'https://example.com';
let server: LocalServer | undefined;
let base: string;
let token: string;

beforeAll(async () => {
  if (target) {
    base = target.replace(/\/$/, '');
    token = process.env.API_TOKEN ?? '';
    if (token === '') throw new Error('Set API_TOKEN along with SMOKE_BASE_URL');
  } else {
    server = await startLocalServer();
    base = server.baseUrl;
    token = server.token;
  }
});
afterAll(async () => {
  await server?.destroy();
});

describe(`the README flow against ${target ?? 'a local server'}`, () => {
  it('refuses a request without a token with API Gateway’s 401', async () => {
    const reply = await call(`${base}/tasks`, 'GET');
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ message: 'Unauthorized' });
  });

  it('creates, reads, lists, updates and deletes a task', async () => {
    const created = await call(`${base}/tasks`, 'POST', {
      token,
      body: { title: 'Smoke test task', description: 'Created via API', status: 'PENDING' },
      headers: { Origin: origin },
    });
    expect(created.status).toBe(201);
    const id: string = created.json.taskId;
    expect(created.headers.get('location')).toMatch(new RegExp(`/tasks/${id}$`));
    expect(['*', origin]).toContain(created.headers.get('access-control-allow-origin'));

    try {
      const got = await call(`${base}/tasks/${id}`, 'GET', { token });
      expect(got.status).toBe(200);
      expect(got.json).toMatchObject({ taskId: id, title: 'Smoke test task', status: 'PENDING' });

      const updated = await call(`${base}/tasks/${id}`, 'PUT', { token, body: { status: 'IN_PROGRESS' } });
      expect(updated.status).toBe(200);
      expect(updated.json.status).toBe('IN_PROGRESS');

      const listed = await call(`${base}/tasks?status=IN_PROGRESS&limit=100`, 'GET', { token });
      expect(listed.status).toBe(200);
      expect(Array.isArray(listed.json)).toBe(true);
    } finally {
      const deleted = await call(`${base}/tasks/${id}`, 'DELETE', { token });
      expect(deleted.status).toBe(204);
    }
    expect((await call(`${base}/tasks/${id}`, 'GET', { token })).json).toMatchObject({
      message: 'Task not found',
    });
  });

  // Each of these reads a keys-only index, then the page's items from the table (BatchGetItem): the calls a
  // role without that grant answers 500 for (issue 20), which no listing above would show.
  it('lists by tag and by due date and update, and syncs the change feed', async () => {
    const tag = `smoke-${randomUUID().slice(0, 8)}`;
    const dueDate = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const created = await call(`${base}/tasks`, 'POST', {
      token,
      body: { title: 'Smoke test listings', tags: [tag], dueDate },
    });
    expect(created.status).toBe(201);
    const id: string = created.json.taskId;
    const since = new Date(Date.parse(created.json.updatedAt) - 1000).toISOString();
    const idsOf = async (query: string) => {
      const reply = await call(`${base}/tasks?${query}`, 'GET', { token });
      expect(reply.status, query).toBe(200);
      return (reply.json as { taskId: string }[]).map((task) => task.taskId);
    };
    try {
      expect(await idsOf(`tag=${tag}`)).toEqual([id]);
      const dueAfter = encodeURIComponent(dueDate);
      const dueBefore = encodeURIComponent(new Date(Date.parse(dueDate) + 1000).toISOString());
      expect(await idsOf(`sort=dueDate&dueAfter=${dueAfter}&dueBefore=${dueBefore}&limit=100`)).toContain(id);
      expect(await idsOf('sort=updatedAt&order=desc&limit=5')).toContain(id);
    } finally {
      expect((await call(`${base}/tasks/${id}`, 'DELETE', { token })).status).toBe(204);
    }
    // The feed serves a change once it has settled (5 s, docs/api.md): the deletion's tombstone then.
    let feed: string[] = [];
    for (let tries = 0; tries < 30 && !feed.includes(id); tries++) {
      if (tries > 0) await sleep(500);
      feed = await idsOf(`updatedSince=${encodeURIComponent(since)}&limit=100`);
    }
    expect(feed).toContain(id);
  });

  it('answers a CORS preflight without a token', async () => {
    const reply = await call(`${base}/tasks`, 'OPTIONS', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(reply.status).toBeLessThan(300);
    expect(reply.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
