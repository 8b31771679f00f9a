import { randomUUID } from 'node:crypto';
import { listAllTasks } from 'task-service/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDynamo } from '../../src/local/dynamo-local.js';
import { emulators } from '../support/emulators.js';
import { call } from '../support/http.js';
import { type LocalServer, randomToken, startLocalServer } from '../support/local-server.js';
import { conformingClient } from '../support/typed-client.js';

/**
 * A representative part of the e2e suite, through `npm start`, once on each emulator: dynalite embedded
 * as a new user runs it, and AWS's DynamoDB Local as the store behind the same server.
 */
for (const emulator of emulators()) {
  describe.skipIf(!emulator.available)(`npm start on ${emulator.name}`, () => {
    const tokens = { crud: randomToken(), lists: randomToken(), race: randomToken(), bob: randomToken() };
    let dynamo: LocalDynamo;
    let server: LocalServer;
    const url = (path: string) => `${server.baseUrl}${path}`;
    const api = (token: string) => conformingClient(server.baseUrl, token);

    beforeAll(async () => {
      dynamo = await emulator.start();
      // dynalite runs embedded, as in `npm start`; DynamoDB Local is named as an external endpoint.
      const store: Record<string, string> =
        emulator.name === 'dynalite'
          ? {}
          : { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: `tasks-${randomUUID().slice(0, 8)}` };
      server = await startLocalServer({ env: { API_TOKENS: JSON.stringify(tokens), ...store } });
    });
    afterAll(async () => {
      await server?.destroy();
      await dynamo?.close();
    });

    it('creates, reads, updates with If-Match, refuses a stale ETag, deletes, and then answers 404', async () => {
      const client = api(tokens.crud);
      const { data: created, response } = await client.POST('/tasks', {
        body: { title: 'Report', dueDate: '2026-12-01', priority: 'HIGH', tags: ['work', 'q4'] },
      });
      expect(response.status).toBe(201);
      const taskId = created?.taskId ?? '';
      const etag = response.headers.get('etag') ?? '';
      const path = { params: { path: { taskId } } };
      const { data: done } = await client.PATCH('/tasks/{taskId}', {
        ...path,
        body: { status: 'DONE', dueDate: null, tags: ['work'] },
        headers: { 'If-Match': etag },
      });
      expect(done).toMatchObject({ status: 'DONE', tags: ['work'], version: 2 });
      expect(done).not.toHaveProperty('dueDate');
      const stale = await call(url(`/tasks/${taskId}`), 'PUT', {
        token: tokens.crud,
        body: { title: 'late' },
        headers: { 'If-Match': etag },
      });
      expect(stale.status).toBe(412);
      expect((await client.GET('/tasks/{taskId}', path)).data).toEqual(done);
      expect((await client.DELETE('/tasks/{taskId}', path)).response.status).toBe(204);
      expect((await client.GET('/tasks/{taskId}', path)).response.status).toBe(404);
      expect((await client.DELETE('/tasks/{taskId}', path)).response.status).toBe(404);
    });

    it('serves every list shape, one task a page, following Link to the end', async () => {
      const client = api(tokens.lists);
      const specs = [
        { title: 'a', dueDate: '2026-01-03', tags: ['home'] },
        { title: 'b', dueDate: '2026-01-01', status: 'DONE' as const },
        { title: 'c', tags: ['home', 'garden'] },
        { title: 'd', dueDate: '2026-01-02T12:00:00+01:00', status: 'DONE' as const, tags: ['garden'] },
      ];
      for (const body of specs) await client.POST('/tasks', { body });
      const titles = async (query: Parameters<typeof listAllTasks>[1]) => {
        const seen: string[] = [];
        for await (const task of listAllTasks(client, { ...query, limit: '1' })) seen.push(task.title);
        return seen;
      };
      expect(await titles({})).toEqual(['a', 'b', 'c', 'd']);
      expect(await titles({ status: 'DONE', order: 'desc' })).toEqual(['d', 'b']);
      expect(await titles({ sort: 'dueDate' })).toEqual(['b', 'd', 'a', 'c']);
      expect(await titles({ status: 'DONE', dueAfter: '2026-01-02' })).toEqual(['d']);
      expect(await titles({ dueBefore: '2026-01-03', order: 'desc' })).toEqual(['d', 'b']);
      expect(await titles({ tag: 'garden' })).toEqual(['c', 'd']);
      expect(await titles({ sort: 'updatedAt', order: 'desc' })).toEqual(['d', 'c', 'b', 'a']);
      expect(await titles({ sort: 'updatedAt', status: 'PENDING' })).toEqual(['a', 'c']);
    });

    it('lets exactly one of 8 writers holding the same ETag win', async () => {
      const created = await call(url('/tasks'), 'POST', { token: tokens.race, body: { title: 'contended' } });
      const replies = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          call(url(`/tasks/${created.json.taskId}`), 'PUT', {
            token: tokens.race,
            body: { title: `writer ${i}` },
            headers: { 'If-Match': created.headers.get('etag') ?? '' },
          }),
        ),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array(7).fill(412)]);
    });

    it('creates once per Idempotency-Key among concurrent retries, and refuses another body with 422', async () => {
      const key = randomUUID();
      const send = (title: string) =>
        call(url('/tasks'), 'POST', {
          token: tokens.race,
          body: { title },
          headers: { 'Idempotency-Key': key },
        });
      const replies = await Promise.all(Array.from({ length: 6 }, () => send('once')));
      const created = replies.filter((r) => r.status === 201);
      expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(new Set(created.map((r) => r.json.taskId)).size).toBe(1);
      expect((await send('other')).status).toBe(422);
    });

    it("never shows, changes or deletes another principal's task", async () => {
      const mine = await call(url('/tasks'), 'POST', { token: tokens.crud, body: { title: 'private' } });
      const path = url(`/tasks/${mine.json.taskId}`);
      expect((await call(path, 'GET', { token: tokens.bob })).status).toBe(404);
      expect((await call(path, 'PUT', { token: tokens.bob, body: { title: 'x' } })).status).toBe(404);
      expect((await call(path, 'DELETE', { token: tokens.bob })).status).toBe(404);
      expect((await call(url('/tasks'), 'GET', { token: tokens.bob })).json).toEqual([]);
      expect((await call(path, 'GET', { token: tokens.crud })).json).toEqual(mine.json);
    });
  });
}
