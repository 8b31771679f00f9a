import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { randomToken } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/** Concurrency, idempotency and limits through the real local server, over HTTP. */
const tokens = { race: randomToken(), retry: randomToken(), limits: randomToken() };
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(tokens) } });
const url = (path: string) => `${server.baseUrl}${path}`;
const WRITERS = 16;
const ROUNDS = 5;

async function createTask(token: string, title = 'contended') {
  const reply = await call(url('/tasks'), 'POST', { token, body: { title } });
  expect(reply.status).toBe(201);
  return { id: reply.json.taskId as string, etag: reply.headers.get('etag') ?? '' };
}

describe('writers racing with the same ETag', () => {
  it(`let exactly 1 of ${WRITERS} PUTs win and answer 412 with the current ETag to the rest, every time`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { id, etag } = await createTask(tokens.race);
      const replies = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          call(url(`/tasks/${id}`), 'PUT', {
            token: tokens.race,
            body: { title: `writer ${i}` },
            headers: { 'If-Match': etag },
          }),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array(WRITERS - 1).fill(412)]);
      const winner = replies.find((r) => r.status === 200);
      expect(replies.filter((r) => r.status === 412).every((r) => r.headers.get('etag') === '"2"')).toBe(
        true,
      );
      const stored = await call(url(`/tasks/${id}`), 'GET', { token: tokens.race });
      expect(stored.json).toEqual(winner?.json);
      expect(stored.json.version).toBe(2);
    }
  });

  it(`let exactly 1 of ${WRITERS} DELETEs win`, async () => {
    const { id, etag } = await createTask(tokens.race);
    const replies = await Promise.all(
      Array.from({ length: WRITERS }, () =>
        call(url(`/tasks/${id}`), 'DELETE', { token: tokens.race, headers: { 'If-Match': etag } }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    // The losers saw either the version move (412) or the task gone (404); none deleted anything else.
    expect(statuses.every((s) => [204, 404, 412].includes(s))).toBe(true);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the task moved on', async () => {
    const { id, etag } = await createTask(tokens.race);
    const cached = await call(url(`/tasks/${id}`), 'GET', {
      token: tokens.race,
      headers: { 'If-None-Match': etag },
    });
    expect([cached.status, cached.text, cached.headers.get('etag')]).toEqual([304, '', etag]);
    await call(url(`/tasks/${id}`), 'PATCH', { token: tokens.race, body: { status: 'DONE' } });
    const fresh = await call(url(`/tasks/${id}`), 'GET', {
      token: tokens.race,
      headers: { 'If-None-Match': etag },
    });
    expect([fresh.status, fresh.headers.get('etag')]).toEqual([200, '"2"']);
  });
});

const createWithKey = (token: string, key: string, title: string) =>
  call(url('/tasks'), 'POST', { token, body: { title }, headers: { 'Idempotency-Key': key } });

describe('concurrent retries with one Idempotency-Key', () => {
  it(`create exactly one task, every time (${ROUNDS} rounds of ${WRITERS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = randomUUID();
      const replies = await Promise.all(
        Array.from({ length: WRITERS }, () => createWithKey(tokens.retry, key, `order ${key}`)),
      );
      const ok = replies.filter((r) => r.status === 201);
      expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(ok.map((r) => r.json.taskId)).size).toBe(1);
      expect(ok.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    }
    const listed = await call(url('/tasks?limit=100'), 'GET', { token: tokens.retry });
    expect(listed.json).toHaveLength(ROUNDS);
  });

  it('replays after the fact and refuses another body with 422', async () => {
    const key = randomUUID();
    const first = await createWithKey(tokens.retry, key, 'a');
    const again = await createWithKey(tokens.retry, key, 'a');
    const other = await createWithKey(tokens.retry, key, 'b');
    expect([first.status, again.status, other.status]).toEqual([201, 201, 422]);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(other.json.message).toMatch(/Idempotency-Key/);
    expect(other.statusText).toBe(other.json.title); // RFC 9110's "Unprocessable Content" in both
  });

  it('scopes keys to the principal', async () => {
    const key = randomUUID();
    const mine = await createWithKey(tokens.retry, key, 'a');
    const theirs = await createWithKey(tokens.limits, key, 'a');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.json.taskId).not.toBe(mine.json.taskId);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });
});

/** A raw request, for headers fetch would refuse to send. */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{
    status: number;
    type: string | undefined;
    body: string;
    headers: IncomingHttpHeaders;
  }>((done, fail) => {
    const req = request(url(path), { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, headers: res.headers }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('limits', () => {
  it('answers headers over 16 KiB with a JSON 431', async () => {
    const reply = await rawGet('/tasks', { Authorization: tokens.limits, 'X-Big': 'x'.repeat(17 * 1024) });
    expect(reply.status).toBe(431);
    expect(reply.type).toBe('application/json');
    expect(JSON.parse(reply.body).message).toMatch(/header/i);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a body over 64 KiB with 413 and stores nothing', async () => {
    const reply = await call(url('/tasks'), 'POST', {
      token: tokens.limits,
      rawBody: JSON.stringify({ title: 't', description: 'x'.repeat(70_000) }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(reply.status).toBe(413);
    expect(reply.json.message).toMatch(/at most 65536 bytes/);
  });

  it('answers a body of another content type with 415 and non-JSON with 400', async () => {
    const form = await call(url('/tasks'), 'POST', {
      token: tokens.limits,
      rawBody: 'title=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const broken = await call(url('/tasks'), 'POST', {
      token: tokens.limits,
      rawBody: '{"title":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect([form.status, broken.status]).toEqual([415, 400]);
    expect(broken.json.message).toBe('Invalid JSON');
  });
});
