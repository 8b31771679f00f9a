import { changesSince, isTombstone, listAllTasks, type Task } from 'task-service/client';
import { describe, it } from 'vitest';
import { FEED_LIMITS } from '../../src/domain/change-feed.js';
import { emulators, serveOn } from '../support/emulators.js';
import { call } from '../support/http.js';
import { randomToken } from '../support/local-server.js';

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const settled = () => sleep(FEED_LIMITS.settleMs + 500);

/**
 * The change feed through `npm start`, on each emulator. The tests mostly wait for changes to settle, so
 * they run concurrently (each with its own principal), asserting with their own `expect`.
 */
describe.concurrent.each(emulators())('the change feed through npm start on $name', (emulator) => {
  describe.skipIf(!emulator.available)(emulator.name, () => {
    const tokens = {
      sync: randomToken(),
      race: randomToken(),
      other: randomToken(),
      refusals: randomToken(),
    };
    const { url, api } = serveOn(emulator, tokens);

    it('reports creates, updates and deletes oldest first, a deletion as a tombstone, and only settled ones', async ({
      expect,
    }) => {
      const client = api(tokens.sync);
      const since = new Date().toISOString();
      const kept = (await client.POST('/tasks', { body: { title: 'kept' } })).data as Task;
      const gone = (await client.POST('/tasks', { body: { title: 'gone' } })).data as Task;
      await client.PATCH('/tasks/{taskId}', {
        params: { path: { taskId: kept.taskId } },
        body: { status: 'DONE' },
      });
      await client.DELETE('/tasks/{taskId}', { params: { path: { taskId: gone.taskId } } });
      const early = [];
      for await (const change of changesSince(client, since)) early.push(change);
      expect(early).toEqual([]); // nothing has settled yet
      await settled();
      const changes = [];
      for await (const change of changesSince(client, since, { limit: 1 })) changes.push(change);
      expect(changes).toMatchObject([
        { taskId: kept.taskId, status: 'DONE' },
        { taskId: gone.taskId, deleted: true },
      ]);
      expect(changes[1]).toEqual({ taskId: gone.taskId, deleted: true, updatedAt: expect.any(String) });
      expect((await call(url('/tasks'), 'GET', { token: tokens.sync })).json).toEqual([changes[0]]);
      expect((await call(url(`/tasks/${gone.taskId}`), 'GET', { token: tokens.sync })).status).toBe(404);
      expect((await call(url(`/tasks/${gone.taskId}`), 'DELETE', { token: tokens.sync })).status).toBe(404);
      const other = await call(url(`/tasks?updatedSince=${since}`), 'GET', { token: tokens.other });
      expect(other.json).toEqual([]);
    });

    it('keeps a syncing client equal to the server while writers race it', async ({ expect }) => {
      const writer = api(tokens.race);
      const reader = api(tokens.race);
      const mirror = new Map<string, Task>();
      let since = new Date(Date.now() - 60_000).toISOString();
      const sync = async () => {
        for await (const change of changesSince(reader, since, { limit: 2 })) {
          if (isTombstone(change)) mirror.delete(change.taskId);
          else mirror.set(change.taskId, change);
          if (change.updatedAt > since) since = change.updatedAt;
        }
      };
      let writing = true;
      const write = async (n: number) => {
        const live: string[] = [];
        for (let i = 0; i < 12; i++) {
          const roll = (i * 7 + n) % 6;
          const taskId = live[(i + n) % Math.max(live.length, 1)];
          if (roll < 2 || !taskId) {
            const { data } = await writer.POST('/tasks', { body: { title: `w${n}-${i}` } });
            live.push(data?.taskId ?? '');
          } else if (roll < 5) {
            const params = { path: { taskId } };
            await writer.PATCH('/tasks/{taskId}', {
              params,
              body: { title: `w${n}-${i}`, status: 'IN_PROGRESS' },
            });
          } else {
            await writer.DELETE('/tasks/{taskId}', { params: { path: { taskId } } });
            live.splice(live.indexOf(taskId), 1);
          }
        }
      };
      const syncing = (async () => {
        while (writing) {
          await sync();
          await sleep(50);
        }
      })();
      await Promise.all([write(1), write(2), write(3)]);
      writing = false;
      await syncing;
      await settled();
      await sync();
      const server: Task[] = [];
      for await (const task of listAllTasks(reader, { limit: 100 })) server.push(task);
      expect([...mirror.values()].sort((a, b) => a.taskId.localeCompare(b.taskId))).toEqual(
        server.sort((a, b) => a.taskId.localeCompare(b.taskId)),
      );
      expect(server.length).toBeGreaterThan(0);
    });

    it.for([
      [
        'updatedSince=2026-01-01T00:00:00Z&status=DONE',
        400,
        "'updatedSince' combines only with 'limit' and 'cursor'",
      ],
      [
        'updatedSince=2026-01-01T00:00:00Z&sort=updatedAt',
        400,
        'the change feed has one order and no filter',
      ],
      ['updatedSince=yesterday', 400, 'RFC 3339'],
      ['updatedSince=2020-01-01T00:00:00Z', 410, 'full resync'],
    ] as const)(
      'answers GET /tasks?%s with %i and a message that says why',
      async ([query, status, reason], { expect }) => {
        const reply = await call(url(`/tasks?${query}`), 'GET', { token: tokens.refusals });
        expect(reply.status).toBe(status);
        expect(reply.json.message).toContain(reason);
      },
    );
  });
});
