// Long on purpose (~450 lines): the handler's whole HTTP contract, in-process, one case per rule; the e2e suites keep one check per family.

import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { memoryServices } from '../../test/support/memory-services.js';
import { StoreThrottledError, StoreUnavailableError } from '../domain/errors.js';
import { positionAt } from '../domain/task-order.js';
import { makeTaskService } from '../domain/task-service.js';
import type { TaskStore } from '../domain/task-store.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { makeHandler } from './handler.js';

const REQUEST_ID = 'req-0001';
const ID = '0190a8a4-0000-7000-8000-000000000000';

interface EventInput {
  method: string;
  resource: string;
  path: string;
  body?: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  principalId?: string | undefined;
  isBase64Encoded?: boolean;
}

function eventOf(input: EventInput): APIGatewayProxyEvent {
  const taskId = /^\/tasks\/([^/]+)$/.exec(input.path)?.[1];
  const headers = { Host: 'api.example', 'Content-Type': 'application/json', ...input.headers };
  return {
    resource: input.resource,
    path: input.path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: taskId ? { taskId } : null,
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      requestId: REQUEST_ID,
      path: `/dev${input.path}`,
      stage: 'dev',
      authorizer: 'principalId' in input ? { principalId: input.principalId } : { principalId: 'alice' },
    },
  } as unknown as APIGatewayProxyEvent;
}

const post = (body: unknown, extra: Partial<EventInput> = {}) =>
  eventOf({ method: 'POST', resource: '/tasks', path: '/tasks', body: JSON.stringify(body), ...extra });
const onTask = (method: string, id: string, extra: Partial<EventInput> = {}) =>
  eventOf({ method, resource: '/tasks/{taskId}', path: `/tasks/${id}`, ...extra });
const list = (query?: Record<string, string>) =>
  eventOf({ method: 'GET', resource: '/tasks', path: '/tasks', ...(query && { query }) });

function setUp({
  store = new MemoryTaskStore() as TaskStore,
  corsOrigins = ['*'],
  deadlineMs = 2500,
  now = Date.now,
} = {}) {
  let n = 0;
  const errors: unknown[][] = [];
  const service = makeTaskService({
    store,
    idempotency: new MemoryIdempotencyStore(),
    now: () => new Date('2026-01-01T00:00:00.000Z'),
    newId: () => `0190a8a4-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  });
  const services = memoryServices(service);
  const handle = makeHandler({
    servicesFor: () => services,
    corsOrigins,
    deadlineMs,
    now,
    logger: { error: (...args) => void errors.push(args) },
  });
  return { handle, errors };
}

const bodyOf = (result: { body: string }) => JSON.parse(result.body);

describe('the task handler', () => {
  it('answers POST /tasks with 201, the full task and a Location under the stage', async () => {
    const { handle } = setUp();
    const result = await handle(post({ title: 'Buy milk' }));
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toEqual({
      taskId: '0190a8a4-0000-7000-8000-000000000001',
      title: 'Buy milk',
      description: '',
      status: 'PENDING',
      priority: 'MEDIUM',
      tags: [],
      listId: '@default',
      position: positionAt(new Date('2026-01-01T00:00:00.000Z')),
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    });
    expect(result.headers?.Location).toBe(
      'https://api.example/dev/tasks/0190a8a4-0000-7000-8000-000000000001',
    );
  });

  it('answers GET /tasks with a bare JSON array and no Link when everything fits', async () => {
    const { handle } = setUp();
    await handle(post({ title: 'a' }));
    const result = await handle(list());
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result).map((t: { title: string }) => t.title)).toEqual(['a']);
    expect(result.headers?.Link).toBeUndefined();
  });

  it('links to the next page with a cursor, keeping the limit and the status filter', async () => {
    const { handle } = setUp();
    for (const title of ['a', 'b', 'c']) await handle(post({ title }));
    const result = await handle(list({ limit: '2', status: 'PENDING' }));
    const link = /^<([^>]+)>; rel="next"$/.exec(String(result.headers?.Link))?.[1] ?? '';
    const next = new URL(link);
    expect(`${next.origin}${next.pathname}`).toBe('https://api.example/dev/tasks');
    expect(next.searchParams.get('limit')).toBe('2');
    expect(next.searchParams.get('status')).toBe('PENDING');
    const page2 = await handle(list(Object.fromEntries(next.searchParams)));
    expect(bodyOf(page2).map((t: { title: string }) => t.title)).toEqual(['c']);
  });

  it('answers GET /tasks/{taskId} with the task', async () => {
    const { handle } = setUp();
    const created = bodyOf(await handle(post({ title: 'a' })));
    const result = await handle(onTask('GET', created.taskId));
    expect([result.statusCode, bodyOf(result)]).toEqual([200, created]);
  });

  it.each([['PUT'], ['PATCH']])('answers %s with 200 and only the given field changed', async (method) => {
    const { handle } = setUp();
    const created = bodyOf(await handle(post({ title: 'a', description: 'd' })));
    const result = await handle(onTask(method, created.taskId, { body: '{"status":"IN_PROGRESS"}' }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ ...created, status: 'IN_PROGRESS', version: 2 });
  });

  it('answers DELETE with 204 and an empty body', async () => {
    const { handle } = setUp();
    const created = bodyOf(await handle(post({ title: 'a' })));
    const result = await handle(onTask('DELETE', created.taskId));
    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  it('decodes a base64-encoded body', async () => {
    const { handle } = setUp();
    const body = Buffer.from('{"title":"encoded"}').toString('base64');
    const result = await handle(post(undefined, { body, isBase64Encoded: true }));
    expect(bodyOf(result).title).toBe('encoded');
  });

  it('puts CORS headers and the request id on every response', async () => {
    const { handle } = setUp();
    const result = await handle(onTask('GET', ID));
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'X-Request-Id': REQUEST_ID });
  });

  it('marks every response no-store and nosniff, errors included', async () => {
    const { handle } = setUp();
    for (const result of [await handle(list()), await handle(onTask('GET', ID))])
      expect(result.headers).toMatchObject({
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
  });

  it('serves the docs page with a CSP that forbids framing and allows its one inline script', async () => {
    const { handle } = setUp();
    const result = await handle(eventOf({ method: 'GET', resource: '/docs', path: '/docs' }));
    const csp = String(result.headers?.['Content-Security-Policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    const inline = /<script>([\s\S]*?)<\/script>/.exec(result.body)?.[1] ?? '';
    const hash = createHash('sha256').update(inline).digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
  });

  it.each([
    ['a Host with a path', { Host: 'evil.example/x' }],
    ['a Host with user info', { Host: 'user@evil.example' }],
    ['a Host that is no host', { Host: 'a b' }],
    ['a javascript: X-Forwarded-Proto', { Host: 'evil.example', 'X-Forwarded-Proto': 'javascript' }],
  ])('refuses %s with 400 before storing anything, so no link is built from it', async (_what, headers) => {
    const { handle } = setUp();
    const result = await handle(post({ title: 'Buy milk' }, { headers }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).type).toBe('urn:task-service:problem:invalid-header');
    expect(bodyOf(await handle(list()))).toEqual([]);
  });

  it('refuses a principal whose credential expired while its Allow was cached, with 401, storing nothing', async () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');
    const { handle } = setUp({ now: () => now });
    const expired = (exp: number) => (event: APIGatewayProxyEvent) =>
      ({
        ...event,
        requestContext: { ...event.requestContext, authorizer: { principalId: 'alice', exp: String(exp) } },
      }) as APIGatewayProxyEvent;
    const past = expired(now / 1000 - 31)(post({ title: 'Buy milk' }));
    const result = await handle(past);
    expect(result.statusCode).toBe(401);
    expect(bodyOf(result)).toMatchObject({
      type: 'urn:task-service:problem:token-expired',
      message: 'Unauthorized',
    });
    expect(bodyOf(await handle(list()))).toEqual([]);
    // Within the same 30 s of clock skew the authorizer allows, and before `exp`, it is served.
    expect((await handle(expired(now / 1000 - 29)(list()))).statusCode).toBe(200);
    expect((await handle(expired(now / 1000 + 60)(post({ title: 'Buy milk' })))).statusCode).toBe(201);
  });

  it('echoes a listed origin and varies on Origin when origins are configured', async () => {
    const { handle } = setUp({ corsOrigins: ['https://app.example'] });
    const result = await handle({
      ...list(),
      headers: { Host: 'api.example', Origin: 'https://app.example' },
    });
    expect(result.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example',
      Vary: 'Origin',
    });
  });
});

describe('the task handler maps errors', () => {
  it('to a 404 problem document with the original message for an unknown task', async () => {
    const { handle } = setUp();
    const result = await handle(onTask('GET', ID));
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(bodyOf(result)).toMatchObject({
      type: 'urn:task-service:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Task not found',
      message: 'Task not found',
    });
  });

  it('to 404 for an id that is not a UUID', async () => {
    const { handle } = setUp();
    expect((await handle(onTask('DELETE', 'not-a-uuid'))).statusCode).toBe(404);
  });

  it('to 404 on PUT of a missing id, never 5xx', async () => {
    const { handle } = setUp();
    const result = await handle(onTask('PUT', ID, { body: '{"status":"DONE"}' }));
    expect(result.statusCode).toBe(404);
  });

  it('to 400 `Invalid JSON` for a malformed body', async () => {
    const { handle } = setUp();
    const result = await handle(post(undefined, { body: '{"title":' }));
    expect([result.statusCode, bodyOf(result).message]).toEqual([400, 'Invalid JSON']);
  });

  it('to 400 with field errors for an invalid task', async () => {
    const { handle } = setUp();
    const result = await handle(post({ status: 'LATER' }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).errors).toEqual(
      expect.arrayContaining([{ field: 'status', message: 'Invalid status' }]),
    );
  });

  it('to 400 `No valid fields to update` for a PUT without a body', async () => {
    const { handle } = setUp();
    const created = bodyOf(await handle(post({ title: 'a' })));
    const result = await handle(onTask('PUT', created.taskId, { body: null }));
    expect([result.statusCode, bodyOf(result).message]).toEqual([400, 'No valid fields to update']);
  });

  it('to 415 for a body that is not JSON', async () => {
    const { handle } = setUp();
    const result = await handle(post({ title: 'a' }, { headers: { 'Content-Type': 'text/plain' } }));
    expect(result.statusCode).toBe(415);
  });

  it('to 413 for a body over 64 KiB', async () => {
    const { handle } = setUp();
    const result = await handle(post({ title: 'a', description: 'x'.repeat(70_000) }));
    expect(result.statusCode).toBe(413);
  });

  it.each([['0'], ['101'], ['abc'], ['-1'], ['1.5']])('to 400 for limit=%s', async (limit) => {
    const { handle } = setUp();
    expect((await handle(list({ limit }))).statusCode).toBe(400);
  });

  it('to 400 `Invalid status` for an unknown status filter', async () => {
    const { handle } = setUp();
    const result = await handle(list({ status: 'LATER' }));
    expect([result.statusCode, bodyOf(result).message]).toEqual([400, 'Invalid status']);
  });

  it('to 400 `Invalid cursor` for a foreign cursor', async () => {
    const { handle } = setUp();
    const result = await handle(list({ cursor: 'eyJwIjp7InNrIjoiYSJ9LCJkIjoiQUFBQSJ9' }));
    expect([result.statusCode, bodyOf(result).message]).toEqual([400, 'Invalid cursor']);
  });

  it('to 404 for a route the table does not know', async () => {
    const { handle } = setUp();
    const result = await handle(eventOf({ method: 'GET', resource: '/projects', path: '/projects' }));
    expect(result.statusCode).toBe(404);
  });

  it('to 401 when no principal came from the authorizer', async () => {
    const { handle } = setUp();
    const result = await handle(
      eventOf({ method: 'GET', resource: '/tasks', path: '/tasks', principalId: undefined }),
    );
    expect(result.statusCode).toBe(401);
  });

  it('to 401 for a principal id that could break a key', async () => {
    const { handle } = setUp();
    const event = eventOf({ method: 'GET', resource: '/tasks', path: '/tasks', principalId: 'alice#DONE' });
    expect((await handle(event)).statusCode).toBe(401);
  });

  it('to 503 with Retry-After when the store is unavailable', async () => {
    const { handle } = setUp({ store: failingStore(new StoreUnavailableError()) });
    const result = await handle(list());
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('2');
  });

  it('to 429 with Retry-After when the store throttles', async () => {
    const { handle } = setUp({ store: failingStore(new StoreThrottledError()) });
    const result = await handle(list());
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['Retry-After']).toBe('1');
  });

  it('to 500 with the request id and no internals for an unexpected failure, and logs it', async () => {
    const { handle, errors } = setUp({
      store: failingStore(new Error('connect ECONNREFUSED 10.0.0.7:8000')),
    });
    const result = await handle(onTask('GET', ID));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toMatchObject({ status: 500, requestId: REQUEST_ID });
    expect(bodyOf(result).message).toContain(REQUEST_ID);
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0]?.[1] ?? {})).toContain(REQUEST_ID);
  });

  it('does not log expected client errors', async () => {
    const { handle, errors } = setUp();
    await handle(onTask('GET', ID));
    await handle(post({}));
    expect(errors).toEqual([]);
  });
});

function failingStore(error: Error): TaskStore {
  const fail = () => Promise.reject(error);
  return {
    create: fail,
    put: fail,
    get: fail,
    update: fail,
    place: fail,
    siblings: fail,
    delete: fail,
    list: fail,
    changes: fail,
  };
}

describe('conditional requests', () => {
  async function created() {
    const setup = setUp();
    const result = await setup.handle(post({ title: 't' }));
    return { ...setup, id: bodyOf(result).taskId as string, etag: result.headers?.ETag };
  }

  it('puts the version in quotes as the ETag of a create, a read and an update', async () => {
    const { handle, id, etag } = await created();
    expect(etag).toBe('"1"');
    expect((await handle(onTask('GET', id))).headers?.ETag).toBe('"1"');
    const put = await handle(onTask('PUT', id, { body: '{"status":"DONE"}' }));
    expect(put.headers?.ETag).toBe('"2"');
    expect(bodyOf(put).version).toBe(2);
  });

  it('applies a write whose If-Match lists the current ETag', async () => {
    const { handle, id } = await created();
    const put = await handle(
      onTask('PATCH', id, { body: '{"title":"u"}', headers: { 'If-Match': 'W/"9", "1"' } }),
    );
    expect(put.statusCode).toBe(200);
  });

  it('refuses a stale If-Match with 412 and the current ETag, changing nothing', async () => {
    const { handle, id } = await created();
    await handle(onTask('PUT', id, { body: '{"title":"second"}' }));
    const stale = await handle(
      onTask('PUT', id, { body: '{"title":"third"}', headers: { 'If-Match': '"1"' } }),
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.headers?.ETag).toBe('"2"');
    expect(bodyOf(stale).message).toMatch(/If-Match/);
    const del = await handle(onTask('DELETE', id, { headers: { 'If-Match': '"1"' } }));
    expect(del.statusCode).toBe(412);
    expect(bodyOf(await handle(onTask('GET', id))).title).toBe('second');
  });

  it('never matches a weak ETag in If-Match (strong comparison)', async () => {
    const { handle, id } = await created();
    const result = await handle(onTask('DELETE', id, { headers: { 'If-Match': 'W/"1"' } }));
    expect(result.statusCode).toBe(412);
  });

  it('deletes with If-Match: * like without a condition', async () => {
    const { handle, id } = await created();
    expect((await handle(onTask('DELETE', id, { headers: { 'If-Match': '*' } }))).statusCode).toBe(204);
  });

  it('answers a 404, not a 412, for a missing task with If-Match', async () => {
    const { handle } = setUp();
    expect(
      (await handle(onTask('PUT', ID, { body: '{"title":"x"}', headers: { 'If-Match': '"1"' } }))).statusCode,
    ).toBe(404);
  });

  it.each(['1', '"1', 'abc, "1"', `${'"1",'.repeat(30)}"1"`])(
    'refuses a malformed If-Match %s with 400',
    async (value) => {
      const { handle, id } = await created();
      const result = await handle(onTask('DELETE', id, { headers: { 'If-Match': value } }));
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result).message).toMatch(/If-Match/);
    },
  );

  it('answers GET with 304 and no body when If-None-Match matches, weakly too', async () => {
    const { handle, id } = await created();
    for (const value of ['"1"', 'W/"1"', '"7", "1"', '*']) {
      const result = await handle(onTask('GET', id, { headers: { 'If-None-Match': value } }));
      expect([result.statusCode, result.body, result.headers?.ETag]).toEqual([304, '', '"1"']);
    }
    expect((await handle(onTask('GET', id, { headers: { 'If-None-Match': '"2"' } }))).statusCode).toBe(200);
  });
});

describe('idempotent creates', () => {
  const withKey = (body: unknown, key = 'key-1') => post(body, { headers: { 'Idempotency-Key': key } });

  it('replays a retry with the same task, status and Idempotent-Replayed: true', async () => {
    const { handle } = setUp();
    const first = await handle(withKey({ title: 'once' }));
    const retry = await handle(withKey({ title: 'once' }));
    expect(first.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect([retry.statusCode, retry.headers?.['Idempotent-Replayed']]).toEqual([201, 'true']);
    expect(retry.body).toBe(first.body);
    expect(bodyOf(await handle(list()))).toHaveLength(1);
  });

  it('refuses the key with another body with 422', async () => {
    const { handle } = setUp();
    await handle(withKey({ title: 'once' }));
    const other = await handle(withKey({ title: 'twice' }));
    expect(other.statusCode).toBe(422);
    expect(bodyOf(other).message).toMatch(/Idempotency-Key/);
    expect(bodyOf(await handle(list()))).toHaveLength(1);
  });

  it.each(['', 'a'.repeat(256), 'has space', 'tab\t'])('refuses the key %j with 400', async (key) => {
    const { handle } = setUp();
    const result = await handle(withKey({ title: 'x' }, key));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(await handle(list()))).toHaveLength(0);
  });
});

describe('hostile bodies', () => {
  it('drops __proto__, constructor and prototype keys before anything reads them', async () => {
    const { handle } = setUp();
    const raw =
      '{"title":"t","__proto__":{"status":"DONE","polluted":1},"constructor":{"prototype":{"polluted":1}}}';
    const result = await handle(eventOf({ method: 'POST', resource: '/tasks', path: '/tasks', body: raw }));
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result).status).toBe('PENDING');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses JSON nested deeper than 20 levels with 400', async () => {
    const { handle } = setUp();
    const raw = `{"title":"t","x":${'['.repeat(21)}${']'.repeat(21)}}`;
    const result = await handle(eventOf({ method: 'POST', resource: '/tasks', path: '/tasks', body: raw }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).message).toMatch(/nesting/);
  });

  it('accepts brackets inside strings, which are not nesting', async () => {
    const { handle } = setUp();
    const raw = JSON.stringify({ title: '[[[[[[[[[[[[[[[[[[[[[[[[[["\\' });
    const result = await handle(eventOf({ method: 'POST', resource: '/tasks', path: '/tasks', body: raw }));
    expect(result.statusCode).toBe(201);
  });
});

describe('the request deadline', () => {
  it('answers 503 with Retry-After when the store does not answer in time', async () => {
    const stalled: TaskStore = { ...failingStore(new Error('unused')), list: () => new Promise(() => {}) };
    const { handle } = setUp({ store: stalled, deadlineMs: 50 });
    const started = performance.now();
    const result = await handle(list());
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('2');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
