import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { randomToken } from '../support/local-server.js';
import { assertConforms } from '../support/openapi-conformance.js';
import { useLocalServer } from '../support/use-local-server.js';

/** Query parameters and bodies read strictly: what is refused, what is accepted, and that refusals store nothing. */
const tokens = { params: randomToken(), bodies: randomToken(), patches: randomToken() };
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(tokens) } });
const url = (path: string) => `${server.baseUrl}${path}`;

const titlesOf = async (token: string) =>
  ((await call(url('/tasks'), 'GET', { token })).json as { title: string }[]).map((t) => t.title);

/** One case of the rule over HTTP; every parameter's case is src/domain/list-query.test.ts's. */
describe('a query parameter given twice', () => {
  it('is a 400 that names it', async () => {
    const reply = await call(url('/tasks?status=PENDING&status=DONE'), 'GET', { token: tokens.params });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe("Query parameter 'status' must be given at most once");
  });
});

describe('the cursor', () => {
  it('may not be empty: an empty cursor= is a 400, not the first page', async () => {
    const reply = await call(url('/tasks?cursor='), 'GET', { token: tokens.params });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toMatch(/^Invalid cursor/);
  });

  it('is left out for the first page', async () => {
    expect((await call(url('/tasks?limit=1'), 'GET', { token: tokens.params })).status).toBe(200);
  });
});

/** A POST through node:http, which (unlike fetch) can leave Content-Type out or send it empty. */
function post(path: string, body: string, contentType: string | undefined) {
  return new Promise<{ status: number; json: { message?: string; title?: string } }>((done, fail) => {
    const headers: Record<string, string> = { Authorization: tokens.bodies };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    const req = request(url(path), { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) headers.set(name, String(value));
        const reply = { status: res.statusCode ?? 0, headers, text };
        assertConforms('POST', url(path), reply);
        done({ status: reply.status, json: JSON.parse(text) });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('the Content-Type of a body', () => {
  it.each([
    ['absent', undefined],
    ['application/json', 'application/json'],
    ['with a charset', 'application/json; charset=utf-8'],
    ['in another case', 'Application/JSON'],
    ['a +json type', 'application/merge-patch+json'],
  ])('is accepted when %s', async (_, contentType) => {
    const title = `ct ${contentType ?? 'none'}`;
    const reply = await post('/tasks', JSON.stringify({ title }), contentType);
    expect(reply.status).toBe(201);
    expect(await titlesOf(tokens.bodies)).toContain(title);
  });

  it.each([
    ['empty', ''],
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['a type that only starts like JSON', 'application/jsonp'],
  ])('is a 415 that stores nothing when %s', async (_, contentType) => {
    const title = `refused ${contentType}`;
    const reply = await post('/tasks', JSON.stringify({ title }), contentType);
    expect(reply.status).toBe(415);
    expect(reply.json.message).toBe("Content-Type must be 'application/json'");
    expect(await titlesOf(tokens.bodies)).not.toContain(title);
  });
});

describe('an update', () => {
  it.each([{ priority: 'HIGH' }, { tags: ['x'] }, { dueDate: '2026-12-01' }, { dueDate: null }])(
    'with only %j (no title, description or status) is a 200',
    async (patch) => {
      const created = await call(url('/tasks'), 'POST', { token: tokens.patches, body: { title: 'p' } });
      const reply = await call(url(`/tasks/${created.json.taskId}`), 'PUT', {
        token: tokens.patches,
        body: patch,
      });
      expect(reply.status).toBe(200);
    },
  );

  it.each([{}, { unknown: 1 }, { taskId: 'x', version: 3 }])(
    'with no updatable field (%j) is a 400',
    async (patch) => {
      const created = await call(url('/tasks'), 'POST', { token: tokens.patches, body: { title: 'q' } });
      const path = `/tasks/${created.json.taskId}`;
      const reply = await call(url(path), 'PUT', { token: tokens.patches, body: patch });
      expect(reply.status).toBe(400);
      expect(reply.json.message).toBe('No valid fields to update');
      expect((await call(url(path), 'GET', { token: tokens.patches })).json.version).toBe(1);
    },
  );
});

describe('length rules, as the document states them', () => {
  const max = 200;
  it.each([
    ['the maximum plus two spaces', `${'x'.repeat(max)}  `, 400],
    ['three spaces', '   ', 400],
    ['the maximum in emoji (two UTF-16 units each)', '😀'.repeat(max), 201],
    ['one emoji over the maximum', '😀'.repeat(max + 1), 400],
  ])('a title of %s is a %i', async (_, title, status) => {
    const reply = await call(url('/tasks'), 'POST', { token: tokens.bodies, body: { title } });
    expect(reply.status).toBe(status);
    expect((await titlesOf(tokens.bodies)).includes(title.trim())).toBe(status === 201);
  });
});
