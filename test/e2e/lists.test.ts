import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Reply } from '../support/http.js';
import { type LocalServer, randomToken, startLocalServer } from '../support/local-server.js';

const tokens = { alice: randomToken(), bob: randomToken() };
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ env: { API_TOKENS: JSON.stringify(tokens) } });
}, 60_000);
afterAll(async () => server?.destroy());

type Who = keyof typeof tokens;
const api = (who: Who, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(`${server.baseUrl}${path}`, method, {
    token: tokens[who],
    ...(body !== undefined && { body }),
    ...(headers && { headers }),
  });
const ok = (reply: Reply, status = 200) => {
  expect(reply.status, reply.text).toBe(status);
  return reply.json;
};
const titles = (tasks: { title: string; parentId?: string }[]) =>
  tasks.map((task) => (task.parentId ? `  ${task.title}` : task.title));

describe('lists, over HTTP', () => {
  it('starts with the default list, first, and makes others with Location and ETag', async () => {
    const made = await api('alice', 'POST', '/lists', { title: ' Groceries ' });
    const list = ok(made, 201);
    expect(list).toMatchObject({ title: 'Groceries', version: 1, role: 'owner' });
    expect(made.headers.get('location')).toBe(`${server.baseUrl}/lists/${list.listId}`);
    expect(made.headers.get('etag')).toBe('"1"');
    const lists = ok(await api('alice', 'GET', '/lists'));
    expect(lists.map((l: { listId: string }) => l.listId)).toEqual(['@default', list.listId]);
    expect(lists[0]).toMatchObject({ title: 'My Tasks', role: 'owner' });
  });

  it('pages lists with a Link, the default list on the first page', async () => {
    for (const title of ['a', 'b']) await api('bob', 'POST', '/lists', { title });
    const first = await api('bob', 'GET', '/lists?limit=2');
    expect(ok(first).map((l: { title: string }) => l.title)).toEqual(['My Tasks', 'a']);
    const next = first.headers.get('link')?.match(/<([^>]+)>/)?.[1] ?? '';
    const second = await call(next, 'GET', { token: tokens.bob });
    expect(ok(second).map((l: { title: string }) => l.title)).toEqual(['b']);
  });

  it('renames under If-Match, and refuses to delete the default list', async () => {
    const list = ok(await api('alice', 'POST', '/lists', { title: 'Work' }), 201);
    const stale = await api('alice', 'PATCH', `/lists/${list.listId}`, { title: 'x' }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"1"');
    const renamed = ok(
      await api('alice', 'PATCH', `/lists/${list.listId}`, { title: 'Job' }, { 'If-Match': '"1"' }),
    );
    expect(renamed).toMatchObject({ title: 'Job', version: 2 });
    expect(ok(await api('alice', 'PATCH', '/lists/@default', { title: 'Inbox' }))).toMatchObject({
      title: 'Inbox',
    });
    const refused = await api('alice', 'DELETE', '/lists/@default');
    expect(refused.status).toBe(409);
    expect(refused.json.message).toMatch(/default list/);
  });

  it('answers 404 on every route of a list the caller is not in, and for a task of another list', async () => {
    const list = ok(await api('alice', 'POST', '/lists', { title: 'Private' }), 201);
    const task = ok(await api('alice', 'POST', `/lists/${list.listId}/tasks`, { title: 'secret' }), 201);
    const base = `/lists/${list.listId}`;
    for (const [method, path, body] of [
      ['GET', base],
      ['PATCH', base, { title: 'x' }],
      ['DELETE', base],
      ['GET', `${base}/tasks`],
      ['POST', `${base}/tasks`, { title: 'x' }],
      ['GET', `${base}/tasks/${task.taskId}`],
      ['PATCH', `${base}/tasks/${task.taskId}`, { title: 'x' }],
      ['DELETE', `${base}/tasks/${task.taskId}`],
      ['POST', `${base}/tasks/${task.taskId}/move`, { previousId: null }],
    ] as const) {
      const reply = await api('bob', method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.json.message).toBe('List not found');
    }
    // Alice's own task, under her default list's path or another of her lists: not there.
    const other = ok(await api('alice', 'POST', '/lists', { title: 'Other' }), 201);
    expect((await api('alice', 'GET', `/tasks/${task.taskId}`)).status).toBe(404);
    expect((await api('alice', 'GET', `/lists/${other.listId}/tasks/${task.taskId}`)).status).toBe(404);
    expect(ok(await api('alice', 'GET', `${base}/tasks/${task.taskId}`))).toMatchObject({
      listId: list.listId,
    });
  });

  it('keeps tasks, subtasks and the manual order per list, and moves them between lists', async () => {
    const list = ok(await api('alice', 'POST', '/lists', { title: 'Trip' }), 201);
    const at = `/lists/${list.listId}/tasks`;
    const add = async (title: string, parentId?: string) =>
      ok(await api('alice', 'POST', at, { title, ...(parentId && { parentId }) }), 201);
    const pack = await add('pack');
    const passport = await add('passport', pack.taskId);
    const book = await add('book');
    const moved = ok(
      await api('alice', 'POST', `${at}/${book.taskId}/move`, { previousId: null, parentId: null }),
    );
    expect(moved.updatedAt > book.updatedAt).toBe(true);
    expect(titles(ok(await api('alice', 'GET', `${at}?sort=position`)))).toEqual([
      'book',
      'pack',
      '  passport',
    ]);
    expect(titles(ok(await api('alice', 'GET', `${at}?parentId=${pack.taskId}`)))).toEqual(['  passport']);
    for (const parentId of [randomUUID(), passport.taskId]) {
      const bad = await api('alice', 'POST', at, { title: 'x', parentId });
      expect(bad.status).toBe(422);
      expect(bad.json.errors).toEqual([{ field: 'parentId', message: expect.any(String) }]);
    }
    // To the default list, with its subtask.
    ok(
      await api('alice', 'POST', `${at}/${pack.taskId}/move`, {
        previousId: null,
        parentId: null,
        listId: '@default',
      }),
    );
    expect(titles(ok(await api('alice', 'GET', `${at}?sort=position`)))).toEqual(['book']);
    const home = titles(ok(await api('alice', 'GET', '/tasks?sort=position')));
    expect(home.slice(0, 2)).toEqual(['pack', '  passport']);
  });

  it('binds cursors and Idempotency-Keys to their list', async () => {
    const a = ok(await api('alice', 'POST', '/lists', { title: 'A' }), 201);
    const b = ok(await api('alice', 'POST', '/lists', { title: 'B' }), 201);
    for (const title of ['1', '2']) await api('alice', 'POST', `/lists/${a.listId}/tasks`, { title });
    const page = await api('alice', 'GET', `/lists/${a.listId}/tasks?limit=1`);
    const cursor = new URL(page.headers.get('link')?.match(/<([^>]+)>/)?.[1] ?? '').searchParams.get(
      'cursor',
    );
    const reused = await api('alice', 'GET', `/lists/${b.listId}/tasks?limit=1&cursor=${cursor}`);
    expect(reused.status).toBe(400);
    const key = { 'Idempotency-Key': 'same-key-1' };
    const inA = ok(await api('alice', 'POST', `/lists/${a.listId}/tasks`, { title: 'once' }, key), 201);
    const inB = ok(await api('alice', 'POST', `/lists/${b.listId}/tasks`, { title: 'once' }, key), 201);
    expect(inB.taskId).not.toBe(inA.taskId);
    const again = await api('alice', 'POST', `/lists/${a.listId}/tasks`, { title: 'once' }, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.taskId).toBe(inA.taskId);
  });

  it('deletes a list at once: its tasks are gone on the next request, then purged', async () => {
    const list = ok(await api('alice', 'POST', '/lists', { title: 'Old' }), 201);
    const task = ok(await api('alice', 'POST', `/lists/${list.listId}/tasks`, { title: 'old task' }), 201);
    expect(
      (await api('alice', 'DELETE', `/lists/${list.listId}`, undefined, { 'If-Match': '"1"' })).status,
    ).toBe(204);
    expect((await api('alice', 'GET', `/lists/${list.listId}/tasks/${task.taskId}`)).status).toBe(404);
    expect((await api('alice', 'GET', `/lists/${list.listId}`)).status).toBe(404);
    const lists = ok(await api('alice', 'GET', '/lists?limit=100'));
    expect(lists.map((l: { listId: string }) => l.listId)).not.toContain(list.listId);
    await expect
      .poll(() => server.stdout(), { timeout: 10_000 })
      .toContain(`"listId":"${list.listId}","purged":1`);
  });
});
