import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { type LocalServer, newDataDir, REPO_ROOT, startLocalServer } from '../support/local-server.js';

/** test/fixtures/data-before-lists/README.md says what the previous version stored there. */
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'data-before-lists', 'dynamodb');
const TOKENS = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789' };

interface Listed {
  readonly title: string;
  readonly listId: string;
  readonly position: string;
  readonly status: string;
  readonly dueDate?: string;
  readonly tags: string[];
}

describe('a DATA_DIR written by the version before lists', () => {
  let server: LocalServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = newDataDir();
    cpSync(FIXTURE, join(dataDir, 'dynamodb'), { recursive: true });
    server = await startLocalServer({ dataDir, env: { API_TOKENS: JSON.stringify(TOKENS) } });
  }, 60_000);
  afterAll(async () => server?.destroy());

  const list = async (token: string, query: string) =>
    (await call(`${server.baseUrl}/tasks${query}`, 'GET', { token })).json as Listed[];

  it('is upgraded on start, and says so', () => {
    expect(server.stdout()).toMatch(/Upgraded the table .* 6 items carried over/);
  });

  it("keeps every task in its owner's default list, in creation order by position too", async () => {
    const alice = await list(TOKENS.alice, '');
    expect(alice.map((task) => task.title)).toEqual(['alice 1', 'alice 2', 'alice 3', 'dated']);
    expect(new Set(alice.map((task) => task.listId))).toEqual(new Set(['@default']));
    expect((await list(TOKENS.alice, '?sort=position')).map((task) => task.title)).toEqual(
      alice.map((task) => task.title),
    );
    expect((await list(TOKENS.bob, '')).map((task) => task.title)).toEqual(['bob 1']);
  });

  it('keeps the fields and every index: status, due date, tags, and the deletion in the feed', async () => {
    expect(await list(TOKENS.alice, '?tag=home')).toMatchObject([
      { title: 'dated', status: 'IN_PROGRESS', dueDate: '2026-12-24', tags: ['home', 'x'] },
    ]);
    expect((await list(TOKENS.alice, '?status=IN_PROGRESS')).map((task) => task.title)).toEqual(['dated']);
    expect((await list(TOKENS.alice, '?sort=dueDate')).at(0)?.title).toBe('dated');
    const feed = await list(TOKENS.alice, '?updatedSince=2026-12-07T00:00:00Z');
    expect(feed.filter((entry) => 'deleted' in entry)).toHaveLength(1);
  });

  it('moves an upgraded task like any other', async () => {
    const [first, , third] = await list(TOKENS.alice, '?sort=position');
    const moved = await call(
      `${server.baseUrl}/tasks/${(third as { taskId?: string }).taskId}/move`,
      'POST',
      {
        token: TOKENS.alice,
        body: { previousId: null },
      },
    );
    expect(moved.status).toBe(200);
    expect((moved.json as Listed).position < (first as Listed).position).toBe(true);
  });
});
