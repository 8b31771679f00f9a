// Long on purpose (~300 lines): the member-level isolation matrix of issue 24, every route by every role, with the ids-from-another-list and feed cases beside it; split, the matrix would no longer be read as one table.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FEED_LIMITS } from '../../src/domain/change-feed.js';
import { call, type Reply } from '../support/http.js';
import { randomToken, UNLIMITED_PRINCIPALS } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * Shared lists over HTTP (`npm start`, token mode: a principal id is its token's name). Alice owns the list;
 * Bob edits, Carol views, Gina is a member no one tests as; Dave was never a member, Erin was removed, and
 * Frank owns a list of his own.
 */
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'] as const;
type Who = (typeof PEOPLE)[number];
const tokens = Object.fromEntries(PEOPLE.map((who) => [who, randomToken()])) as Record<Who, string>;
const server = useLocalServer({
  env: { API_TOKENS: JSON.stringify(tokens), ACCESS_LOG: 'off', ...UNLIMITED_PRINCIPALS },
});

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

interface Shared {
  listId: string;
  taskId: string;
  /** Frank's own list. */
  otherListId: string;
}

/** A fresh shared list with one task, its members as the suite's header says. */
async function share(): Promise<Shared> {
  const { listId } = ok(await api('alice', 'POST', '/lists', { title: 'Shared' }), 201);
  for (const [who, role] of [
    ['bob', 'editor'],
    ['carol', 'viewer'],
    ['gina', 'viewer'],
    ['erin', 'editor'],
  ] as const)
    ok(await api('alice', 'PUT', `/lists/${listId}/members/${who}`, { role }), 201);
  ok(await api('alice', 'DELETE', `/lists/${listId}/members/erin`), 204);
  const { taskId } = ok(await api('alice', 'POST', `/lists/${listId}/tasks`, { title: 'milk' }), 201);
  const { listId: otherListId } = ok(await api('frank', 'POST', '/lists', { title: 'Frank’s' }), 201);
  return { listId, taskId, otherListId };
}

type Route = [label: string, request: (s: Shared) => [string, string, unknown?]];
const ROUTES: Route[] = [
  ['read the list', (s) => ['GET', `/lists/${s.listId}`]],
  ['rename the list', (s) => ['PATCH', `/lists/${s.listId}`, { title: 'Renamed' }]],
  ['delete the list', (s) => ['DELETE', `/lists/${s.listId}`]],
  ['list its tasks', (s) => ['GET', `/lists/${s.listId}/tasks`]],
  [
    'sync its feed',
    (s) => ['GET', `/lists/${s.listId}/tasks?updatedSince=${encodeURIComponent(new Date().toISOString())}`],
  ],
  ['create a task', (s) => ['POST', `/lists/${s.listId}/tasks`, { title: 'eggs' }]],
  ['read a task', (s) => ['GET', `/lists/${s.listId}/tasks/${s.taskId}`]],
  ['update a task (PATCH)', (s) => ['PATCH', `/lists/${s.listId}/tasks/${s.taskId}`, { status: 'DONE' }]],
  ['update a task (PUT)', (s) => ['PUT', `/lists/${s.listId}/tasks/${s.taskId}`, { title: 'oat milk' }]],
  ['delete a task', (s) => ['DELETE', `/lists/${s.listId}/tasks/${s.taskId}`]],
  ['move a task', (s) => ['POST', `/lists/${s.listId}/tasks/${s.taskId}/move`, { previousId: null }]],
  ['list the members', (s) => ['GET', `/lists/${s.listId}/members`]],
  ['add a member', (s) => ['PUT', `/lists/${s.listId}/members/zoe`, { role: 'viewer' }]],
  ['change a role', (s) => ['PUT', `/lists/${s.listId}/members/gina`, { role: 'editor' }]],
  ['remove a member', (s) => ['DELETE', `/lists/${s.listId}/members/gina`]],
];

const OUTSIDER = 404;
/** The table: what each role gets on each route (an outsider: never a member, removed, another owner). */
const EXPECTED: Record<string, [owner: number, editor: number, viewer: number]> = {
  'read the list': [200, 200, 200],
  'rename the list': [200, 200, 403],
  'delete the list': [204, 403, 403],
  'list its tasks': [200, 200, 200],
  'sync its feed': [200, 200, 200],
  'create a task': [201, 201, 403],
  'read a task': [200, 200, 200],
  'update a task (PATCH)': [200, 200, 403],
  'update a task (PUT)': [200, 200, 403],
  'delete a task': [204, 204, 403],
  'move a task': [200, 200, 403],
  'list the members': [200, 200, 200],
  'add a member': [201, 403, 403],
  'change a role': [200, 403, 403],
  'remove a member': [204, 403, 403],
};

const CALLERS: [Who, string, (row: [number, number, number]) => number][] = [
  ['alice', 'the owner', (row) => row[0]],
  ['bob', 'an editor', (row) => row[1]],
  ['carol', 'a viewer', (row) => row[2]],
  ['dave', 'a non-member', () => OUTSIDER],
  ['erin', 'a removed member', () => OUTSIDER],
  ['frank', 'the owner of another list', () => OUTSIDER],
];

describe('the member-level isolation matrix', () => {
  it.each(CALLERS)('%s (%s) gets what its role allows on every route', async (who, _label, expected) => {
    const answers: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const [label, request] of ROUTES) {
      const shared = await share(); // each request on a fresh list: a delete must not hide the next route
      const [method, path, body] = request(shared);
      const reply = await api(who, method, path, body);
      answers[label] = reply.status;
      wanted[label] = expected(EXPECTED[label] ?? [0, 0, 0]);
      if (reply.status === 403) expect(reply.json.message).toMatch(/Your role in this list is '\w+'/);
      if (reply.status === 404) expect(reply.json.message).toBe('List not found');
    }
    expect(answers).toEqual(wanted);
  });

  it('lets any member leave, but not the owner, who is told to remove the others or delete the list', async () => {
    const { listId } = await share();
    const owner = await api('alice', 'DELETE', `/lists/${listId}/members/alice`);
    expect(owner.status).toBe(409);
    expect(owner.json.message).toMatch(/remove them first, or delete the list/);
    ok(await api('bob', 'DELETE', `/lists/${listId}/members/bob`), 204);
    ok(await api('carol', 'DELETE', `/lists/${listId}/members/carol`), 204);
    expect((await api('dave', 'DELETE', `/lists/${listId}/members/dave`)).status).toBe(404);
    expect((await api('bob', 'GET', `/lists/${listId}`)).status).toBe(404);
    expect(ok(await api('alice', 'GET', `/lists/${listId}`)).memberCount).toBe(2);
  });

  it('keeps the owner’s role and the default list out of reach of the member routes', async () => {
    const { listId } = await share();
    const own = await api('alice', 'PUT', `/lists/${listId}/members/alice`, { role: 'viewer' });
    expect([own.status, own.json.message]).toEqual([409, expect.stringMatching(/owner's role/)]);
    const defaults = await api('alice', 'PUT', '/lists/@default/members/bob', { role: 'viewer' });
    expect([defaults.status, defaults.json.message]).toEqual([409, expect.stringMatching(/never shared/)]);
    expect((await api('alice', 'PUT', `/lists/${listId}/members/bob`, { role: 'owner' })).status).toBe(400);
    expect((await api('alice', 'PUT', `/lists/${listId}/members/b%20b`, { role: 'viewer' })).status).toBe(
      400,
    );
    expect((await api('alice', 'DELETE', `/lists/${listId}/members/nobody`)).status).toBe(404);
  });

  it('needs write on both lists to move a task between them', async () => {
    const { listId, taskId } = await share();
    const { listId: carols } = ok(await api('carol', 'POST', '/lists', { title: 'Carol’s' }), 201);
    ok(await api('carol', 'PUT', `/lists/${carols}/members/bob`, { role: 'viewer' }), 201);
    const mine = ok(await api('carol', 'POST', `/lists/${carols}/tasks`, { title: 'hers' }), 201);
    const intoViewed = await api('carol', 'POST', `/lists/${carols}/tasks/${mine.taskId}/move`, {
      previousId: null,
      listId,
    });
    expect(intoViewed.status).toBe(403);
    const fromEdited = await api('bob', 'POST', `/lists/${listId}/tasks/${taskId}/move`, {
      previousId: null,
      listId: carols,
    });
    expect(fromEdited.status).toBe(403);
    const intoForeign = await api('dave', 'POST', `/tasks/${randomUUID()}/move`, {
      previousId: null,
      listId,
    });
    expect(intoForeign.status).toBe(404);
    ok(await api('carol', 'GET', `/lists/${listId}/tasks/${taskId}`)); // nothing moved
    ok(await api('carol', 'GET', `/lists/${carols}/tasks/${mine.taskId}`));
  });
});

describe('lists as each member sees them', () => {
  it('lists owned and shared lists with the caller’s role and the member count', async () => {
    const { listId } = await share();
    for (const [who, role] of [
      ['alice', 'owner'],
      ['bob', 'editor'],
      ['carol', 'viewer'],
    ] as const) {
      const lists = ok(await api(who, 'GET', '/lists?limit=100'));
      expect(lists.find((l: { listId: string }) => l.listId === listId)).toMatchObject({
        role,
        memberCount: 4,
      });
    }
    for (const who of ['dave', 'erin', 'frank'] as const) {
      const lists = ok(await api(who, 'GET', '/lists?limit=100'));
      expect(lists.map((l: { listId: string }) => l.listId)).not.toContain(listId);
    }
    const members = ok(await api('carol', 'GET', `/lists/${listId}/members`));
    expect(members).toEqual([
      { principalId: 'alice', role: 'owner' },
      { principalId: 'bob', role: 'editor' },
      { principalId: 'carol', role: 'viewer' },
      { principalId: 'gina', role: 'viewer' },
    ]);
    const page = await api('carol', 'GET', `/lists/${listId}/members?limit=3`);
    expect(page.headers.get('link')).toMatch(/rel="next"/);
  });

  it('makes a removal hold on the very next request', async () => {
    const { listId, taskId } = await share();
    ok(await api('bob', 'GET', `/lists/${listId}/tasks/${taskId}`));
    ok(await api('alice', 'DELETE', `/lists/${listId}/members/bob`), 204);
    expect((await api('bob', 'GET', `/lists/${listId}/tasks/${taskId}`)).status).toBe(404);
    expect((await api('bob', 'GET', `/lists/${listId}`)).status).toBe(404);
  });

  it('drops every membership with the list', async () => {
    const { listId } = await share();
    ok(await api('alice', 'DELETE', `/lists/${listId}`), 204);
    for (const who of ['alice', 'bob', 'carol'] as const)
      expect((await api(who, 'GET', `/lists/${listId}/members`)).status).toBe(404);
  });
});

describe('ids taken from another list', () => {
  it('finds no task of list A under list B’s path, even for a member of both', async () => {
    const a = await share();
    const b = await share();
    expect((await api('alice', 'GET', `/lists/${b.listId}/tasks/${a.taskId}`)).status).toBe(404);
    expect((await api('bob', 'PATCH', `/lists/${b.listId}/tasks/${a.taskId}`, { title: 'x' })).status).toBe(
      404,
    );
    expect((await api('bob', 'DELETE', `/lists/${b.listId}/tasks/${a.taskId}`)).status).toBe(404);
    ok(await api('carol', 'GET', `/lists/${a.listId}/tasks/${a.taskId}`));
  });

  it('refuses a cursor minted for list A on list B', async () => {
    const a = await share();
    const b = await share();
    for (const title of ['one', 'two']) await api('alice', 'POST', `/lists/${a.listId}/tasks`, { title });
    const first = await api('bob', 'GET', `/lists/${a.listId}/tasks?limit=1`);
    const cursor = new URL(first.headers.get('link')?.match(/<([^>]+)>/)?.[1] ?? '').searchParams.get(
      'cursor',
    );
    expect(cursor).toBeTruthy();
    const reply = await api('bob', 'GET', `/lists/${b.listId}/tasks?limit=1&cursor=${cursor}`);
    expect(reply.status).toBe(400);
    const members = await api('bob', 'GET', `/lists/${a.listId}/members?limit=1`);
    const memberCursor = new URL(members.headers.get('link')?.match(/<([^>]+)>/)?.[1] ?? '').searchParams.get(
      'cursor',
    );
    expect((await api('bob', 'GET', `/lists/${b.listId}/members?cursor=${memberCursor}`)).status).toBe(400);
  });

  it('keeps an Idempotency-Key to one list and one principal', async () => {
    const a = await share();
    const b = await share();
    const key = { 'Idempotency-Key': randomUUID() };
    const inA = ok(await api('alice', 'POST', `/lists/${a.listId}/tasks`, { title: 'once' }, key), 201);
    const inB = await api('alice', 'POST', `/lists/${b.listId}/tasks`, { title: 'once' }, key);
    expect(ok(inB, 201).taskId).not.toBe(inA.taskId);
    expect(inB.headers.get('idempotent-replayed')).toBeNull();
    const bobsInA = await api('bob', 'POST', `/lists/${a.listId}/tasks`, { title: 'once' }, key);
    expect(ok(bobsInA, 201).taskId).not.toBe(inA.taskId);
    const again = await api('alice', 'POST', `/lists/${a.listId}/tasks`, { title: 'once' }, key);
    expect([again.json.taskId, again.headers.get('idempotent-replayed')]).toEqual([inA.taskId, 'true']);
  });
});

describe('the change feed of a shared list', () => {
  it('shows every member’s changes, and stops for a removed member', async () => {
    const { listId, taskId } = await share();
    const since = new Date(Date.now() - 1000).toISOString();
    const byBob = ok(await api('bob', 'POST', `/lists/${listId}/tasks`, { title: 'by bob' }), 201);
    ok(await api('alice', 'PATCH', `/lists/${listId}/tasks/${taskId}`, { status: 'DONE' }));
    await new Promise((done) => setTimeout(done, FEED_LIMITS.settleMs + 500));
    const feed = `/lists/${listId}/tasks?updatedSince=${encodeURIComponent(since)}`;
    for (const who of ['alice', 'bob', 'carol'] as const) {
      const ids = ok(await api(who, 'GET', feed)).map((t: { taskId: string }) => t.taskId);
      expect(ids, who).toEqual(expect.arrayContaining([byBob.taskId, taskId]));
    }
    ok(await api('alice', 'DELETE', `/lists/${listId}/members/carol`), 204);
    expect((await api('carol', 'GET', feed)).status).toBe(404);
  }, 30_000);
});

describe('the lists feed, GET /lists?updatedSince=', () => {
  it('gives a member the lists shared with it, and a tombstone for each list deleted or left', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const kept = await share();
    const deleted = await share();
    ok(await api('alice', 'DELETE', `/lists/${deleted.listId}`), 204);
    ok(await api('alice', 'DELETE', `/lists/${kept.listId}/members/carol`), 204);
    await new Promise((done) => setTimeout(done, FEED_LIMITS.settleMs + 500));
    const feedOf = async (who: Who) =>
      ok(await api(who, 'GET', `/lists?updatedSince=${encodeURIComponent(since)}&limit=100`)) as {
        listId: string;
        deleted?: true;
        role?: string;
      }[];
    const bobs = await feedOf('bob');
    expect(bobs.find((l) => l.listId === kept.listId)).toMatchObject({ role: 'editor' });
    expect(bobs.find((l) => l.listId === deleted.listId)).toMatchObject({ deleted: true });
    const carols = await feedOf('carol');
    expect(carols.find((l) => l.listId === kept.listId)).toEqual({
      listId: kept.listId,
      deleted: true,
      updatedAt: expect.any(String),
    });
    expect((await feedOf('dave')).map((l) => l.listId)).not.toContain(kept.listId);
    const old = await api('bob', 'GET', '/lists?updatedSince=2020-01-01T00:00:00Z');
    expect(old.status).toBe(410);
  }, 30_000);
});
