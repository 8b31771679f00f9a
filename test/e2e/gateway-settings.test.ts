import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { accessLogEntry, type LocalServer, startLocalServer } from '../support/local-server.js';

/** Gateway settings that `npm start` reads from the environment, seen over HTTP. */
const APP = 'https://app.example';
let uncached: LocalServer;
let throttled: LocalServer;
let overridden: LocalServer;
let validating: LocalServer;
const IGNORED_TOKEN = 'ignored-single-token-0123';

beforeAll(async () => {
  [uncached, throttled, overridden, validating] = await Promise.all([
    startLocalServer({
      env: { AUTH_CACHE_TTL_SECONDS: '0', CORS_ALLOWED_ORIGINS: `${APP},https://admin.example` },
    }),
    startLocalServer({ env: { THROTTLE_RATE_LIMIT: '0.01', THROTTLE_BURST_LIMIT: '2' } }),
    startLocalServer({ env: { API_TOKEN: IGNORED_TOKEN, API_TOKENS: '{"alice":"alice-token-0123"}' } }),
    startLocalServer({ env: { VALIDATE_REQUEST_BODY: 'on' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([
    uncached?.destroy(),
    throttled?.destroy(),
    overridden?.destroy(),
    validating?.destroy(),
  ]);
});

const cacheOf = async (server: LocalServer, reply: { headers: Headers }) =>
  (await accessLogEntry(server, reply.headers.get('x-amzn-requestid')))?.authorizerCache;

describe('with AUTH_CACHE_TTL_SECONDS=0', () => {
  it('invokes the authorizer on every request', async () => {
    const first = await call(`${uncached.baseUrl}/tasks`, 'GET', { token: uncached.token });
    const second = await call(`${uncached.baseUrl}/tasks`, 'GET', { token: uncached.token });
    expect([await cacheOf(uncached, first), await cacheOf(uncached, second)]).toEqual(['miss', 'miss']);
  });
});

describe('with CORS_ALLOWED_ORIGINS set to a list', () => {
  it('echoes a listed origin on a success', async () => {
    const reply = await call(`${uncached.baseUrl}/tasks`, 'GET', {
      token: uncached.token,
      headers: { Origin: APP },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBe(APP);
    expect(reply.headers.get('vary')).toContain('Origin');
  });

  it('echoes a listed origin on a gateway 401', async () => {
    const reply = await call(`${uncached.baseUrl}/tasks`, 'GET', { headers: { Origin: APP } });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('echoes a listed origin on a handler 404', async () => {
    const reply = await call(`${uncached.baseUrl}/tasks/0190a8a4-0000-7000-8000-000000000000`, 'GET', {
      token: uncached.token,
      headers: { Origin: 'https://admin.example' },
    });
    expect(reply.status).toBe(404);
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://admin.example');
  });

  it('allows no other origin', async () => {
    const reply = await call(`${uncached.baseUrl}/tasks`, 'GET', {
      token: uncached.token,
      headers: { Origin: 'https://evil.example' },
    });
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes any origin on a gateway error, as API Gateway must with several origins (the documented gap)', async () => {
    const reply = await call(`${uncached.baseUrl}/tasks`, 'GET', {
      headers: { Origin: 'https://evil.example' },
    });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://evil.example');
  });

  it('builds no link from a forwarded protocol other than http or https, and stores nothing', async () => {
    const headers = { 'X-Forwarded-Proto': 'javascript' };
    const reply = await call(`${uncached.baseUrl}/tasks`, 'POST', {
      token: uncached.token,
      headers,
      body: { title: 'never stored' },
    });
    expect(reply.status).toBe(400);
    const listed = await call(`${uncached.baseUrl}/tasks`, 'GET', { token: uncached.token });
    expect(listed.json.map((task: { title: string }) => task.title)).not.toContain('never stored');
  });

  it('answers a preflight from a listed origin without auth', async () => {
    const reply = await call(`${uncached.baseUrl}/tasks`, 'OPTIONS', {
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe(APP);
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
  });
});

describe('with stage throttling configured', () => {
  it('answers 429 Too Many Requests once the burst is spent', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await call(`${throttled.baseUrl}/tasks`, 'GET', { token: throttled.token });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last?.json).toEqual({ message: 'Too Many Requests' });
    expect(last?.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
  });

  it('throttles CORS preflights too, as the stage throttles every method', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${throttled.baseUrl}/tasks`, 'OPTIONS')).status);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('with both API_TOKEN and API_TOKENS set', () => {
  it('accepts the API_TOKENS principals and refuses API_TOKEN', async () => {
    const alice = await call(`${overridden.baseUrl}/tasks`, 'GET', { token: 'alice-token-0123' });
    const single = await call(`${overridden.baseUrl}/tasks`, 'GET', { token: IGNORED_TOKEN });
    expect([alice.status, single.status]).toEqual([200, 401]);
  });

  it('does not print the ignored API_TOKEN as the token to use', () => {
    expect(overridden.stdout()).not.toContain(IGNORED_TOKEN);
  });
});

describe('with VALIDATE_REQUEST_BODY=on', () => {
  const tasks = () => `${validating.baseUrl}/tasks`;

  it("answers a body that breaks the model with API Gateway's 400 and never reaches the handler", async () => {
    const reply = await call(tasks(), 'POST', { token: validating.token, body: { title: 42 } });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ message: 'Invalid request body' });
    expect(reply.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    const listed = await call(tasks(), 'GET', { token: validating.token });
    expect(listed.json).toEqual([]);
  });

  it('lets a body that matches the model through to the handler', async () => {
    const reply = await call(tasks(), 'POST', { token: validating.token, body: { title: 'valid' } });
    expect(reply.status).toBe(201);
  });

  it('still authorizes first: no token is a 401, whatever the body', async () => {
    const reply = await call(tasks(), 'POST', { body: { title: 42 } });
    expect(reply.status).toBe(401);
  });
});
