import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emulators, serveOn } from '../support/emulators.js';
import { call } from '../support/http.js';
import { expectEveryListShape } from '../support/list-shapes.js';
import { randomToken } from '../support/local-server.js';

/**
 * A representative part of the e2e suite, through `npm start`, once on each emulator: dynalite embedded
 * as a new user runs it, and AWS's DynamoDB Local as the store behind the same server.
 */
for (const emulator of emulators()) {
  describe.skipIf(!emulator.available)(`npm start on ${emulator.name}`, () => {
    const tokens = { crud: randomToken(), lists: randomToken(), race: randomToken(), bob: randomToken() };
    const { url, api } = serveOn(emulator, tokens);

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
      await expectEveryListShape(api(tokens.lists));
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
