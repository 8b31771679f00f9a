import { beforeAll, describe, expect, it } from 'vitest';
import { call, nextLink } from '../support/http.js';
import { accessLogEntry, randomToken } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

// One server for the file; each concern uses its own principal so the tests do not see each other's tasks.
const tokens = { flow: randomToken(), pager: randomToken(), errors: randomToken() };
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(tokens) } });
const url = (path: string) => `${server.baseUrl}${path}`;

describe('the original README flow', () => {
  it('creates, lists, reads, updates with PUT and PATCH, and deletes a task', async () => {
    const created = await call(url('/tasks'), 'POST', {
      token: tokens.flow,
      body: { title: 'Buy milk', description: 'semi-skimmed' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: 'Buy milk', description: 'semi-skimmed', status: 'PENDING' });
    const id: string = created.json.taskId;
    expect(created.headers.get('location')).toBe(url(`/tasks/${id}`));

    const listed = await call(url('/tasks'), 'GET', { token: tokens.flow });
    expect(listed.status).toBe(200);
    expect(listed.json.map((t: { taskId: string }) => t.taskId)).toEqual([id]);

    const fetched = await call(url(`/tasks/${id}`), 'GET', { token: tokens.flow });
    expect(fetched.json).toEqual(created.json);

    const put = await call(url(`/tasks/${id}`), 'PUT', {
      token: tokens.flow,
      body: { status: 'IN_PROGRESS' },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ taskId: id, title: 'Buy milk', status: 'IN_PROGRESS' });

    const patch = await call(url(`/tasks/${id}`), 'PATCH', { token: tokens.flow, body: { status: 'DONE' } });
    expect(patch.status).toBe(200);
    expect(patch.json).toMatchObject({ taskId: id, description: 'semi-skimmed', status: 'DONE' });

    const deleted = await call(url(`/tasks/${id}`), 'DELETE', { token: tokens.flow });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    const gone = await call(url(`/tasks/${id}`), 'GET', { token: tokens.flow });
    expect(gone.status).toBe(404);
    expect(gone.json.message).toBe('Task not found');
  });

  it('accepts the token as `Bearer <token>` as well as raw', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: `Bearer ${tokens.flow}` });
    expect(reply.status).toBe(200);
  });

  it('puts CORS headers on a successful response', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: tokens.flow });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the gateway refuses', () => {
  it('a request without Authorization with 401 Unauthorized and the error type', async () => {
    const reply = await call(url('/tasks'), 'GET');
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ message: 'Unauthorized' });
    expect(reply.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  it('a wrong token with 401', async () => {
    const reply = await call(url('/tasks'), 'GET', { token: `${tokens.flow}x` });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ message: 'Unauthorized' });
  });

  it('an unknown path with 403 Missing Authentication Token, even with a valid token, which it never echoes', async () => {
    const reply = await call(url('/projects'), 'GET', { token: tokens.errors });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ message: 'Missing Authentication Token' });
    // API Gateway's type for a request with an Authorization header; its own message would quote the token.
    expect(reply.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(reply.text).not.toContain(tokens.errors);
  });

  it('an unknown method on a known path with 403 Missing Authentication Token', async () => {
    const reply = await call(url('/tasks'), 'DELETE', { token: tokens.errors });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ message: 'Missing Authentication Token' });
  });

  it('an unknown stage with 403 Missing Authentication Token', async () => {
    const reply = await call(url('/tasks').replace('/dev/', '/prod/'), 'GET', { token: tokens.errors });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ message: 'Missing Authentication Token' });
  });

  it('a body over 10 MB with 413', async () => {
    const reply = await call(url('/tasks'), 'POST', {
      token: tokens.errors,
      rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException');
  });

  it('with CORS headers on its own 4XX responses', async () => {
    const reply = await call(url('/tasks'), 'GET', { headers: { Origin: 'https://app.example' } });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('CORS preflight', () => {
  it('is answered by the gateway without Authorization, listing the methods of the resource', async () => {
    const reply = await call(url('/tasks/0190a8a4-0000-7000-8000-000000000000'), 'OPTIONS', {
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PATCH' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-methods')?.split(',')).toEqual(
      expect.arrayContaining(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
    );
    expect(reply.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});

// One check per error family over HTTP; each message and rule is specified by src/api/handler.test.ts and
// the domain's unit tests, and every status by the error catalogue's tests.
describe('the handler answers, over HTTP, one error of each family', () => {
  it('400: a problem document with field errors for a task without a title', async () => {
    const reply = await call(url('/tasks'), 'POST', { token: tokens.errors, body: { description: 'x' } });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.json).toMatchObject({
      type: 'urn:task-service:problem:validation-failed',
      status: 400,
      message: "Field 'title' is required",
      detail: "Field 'title' is required",
      errors: [{ field: 'title', message: "Field 'title' is required" }],
    });
  });

  it('404 `Task not found` for an unknown id on every method', async () => {
    const path = url('/tasks/0190a8a4-0000-7000-8000-000000000000');
    const replies = await Promise.all([
      call(path, 'GET', { token: tokens.errors }),
      call(path, 'PUT', { token: tokens.errors, body: { status: 'DONE' } }),
      call(path, 'PATCH', { token: tokens.errors, body: { status: 'DONE' } }),
      call(path, 'DELETE', { token: tokens.errors }),
    ]);
    expect(replies.map((r) => [r.status, r.json?.message])).toEqual(Array(4).fill([404, 'Task not found']));
  });

  it('415 for a body that is not JSON', async () => {
    const reply = await call(url('/tasks'), 'POST', {
      token: tokens.errors,
      rawBody: 'title=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(415);
    expect(reply.json).toMatchObject({
      type: 'urn:task-service:problem:unsupported-media-type',
      message: "Content-Type must be 'application/json'",
    });
  });
});

describe('listing', () => {
  const created: { taskId: string; status: string }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      const status = i % 3 === 0 ? 'DONE' : 'PENDING';
      const reply = await call(url('/tasks'), 'POST', {
        token: tokens.pager,
        body: { title: `t${i}`, status },
      });
      created.push(reply.json);
    }
  });

  async function followLinks(first: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let next: string | undefined = first;
    let pages = 0;
    while (next && pages < 20) {
      const reply = await call(next, 'GET', { token: tokens.pager });
      expect(reply.status).toBe(200);
      ids.push(...reply.json.map((t: { taskId: string }) => t.taskId));
      next = nextLink(reply.headers);
      pages++;
    }
    return { ids, pages };
  }

  it('follows Link rel="next" to the end, in creation order, without duplicates or gaps', async () => {
    const { ids, pages } = await followLinks(url('/tasks?limit=3'));
    expect(ids).toEqual(created.map((t) => t.taskId));
    expect(pages).toBe(3);
  });

  it('sends no Link header on the last page', async () => {
    const reply = await call(url('/tasks?limit=7'), 'GET', { token: tokens.pager });
    expect(reply.json).toHaveLength(7);
    expect(reply.headers.get('link')).toBeNull();
  });

  it('filters by ?status= and keeps the filter across pages', async () => {
    const { ids } = await followLinks(url('/tasks?status=DONE&limit=1'));
    expect(ids).toEqual(created.filter((t) => t.status === 'DONE').map((t) => t.taskId));
  });
});

describe('the access log', () => {
  it('writes one JSON line per request with method, path, status, latency and request id', async () => {
    const reply = await call(url('/tasks?limit=1'), 'GET', { token: tokens.flow });
    const requestId = reply.headers.get('x-amzn-requestid');
    const line = await accessLogEntry(server, requestId);
    expect(line).toMatchObject({ method: 'GET', path: '/dev/tasks?limit=1', status: 200 });
    expect(line?.latencyMs).toEqual(expect.any(Number));
  });

  it('shows that the authorizer result is cached for the same token across routes', async () => {
    const first = await call(url('/tasks?limit=2'), 'GET', { token: tokens.errors });
    const second = await call(url('/tasks/0190a8a4-0000-7000-8000-000000000000'), 'DELETE', {
      token: tokens.errors,
    });
    const entry = await accessLogEntry(server, second.headers.get('x-amzn-requestid'));
    expect(first.status).toBe(200);
    expect(entry?.authorizerCache).toBe('hit');
  });
});
