// Long on purpose (~600 lines): one describe per step of API Gateway's order, all sharing the stub functions below.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { rawCall as call } from '../../test/support/http.js';
import { GATEWAY_RESPONSES } from '../api/gateway-responses.js';
import { API_GATEWAY_LIMITS } from '../settings/platform.js';
import { createGateway, type GatewayOptions } from './gateway.js';

/**
 * The local API Gateway in process, with stub authorizer and handler functions, for the outcomes a real
 * authorizer or handler never produces on purpose: errors, malformed answers, timeouts, explicit denies.
 */
const api = { region: 'eu-west-1', accountId: '123456789012', apiId: 'abc123', stage: 'dev' };
const TASK = '/tasks/0190a8a4-0000-7000-8000-000000000000';

function allow(principalId: string, resource: string | string[], effect: 'Allow' | 'Deny' = 'Allow') {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context: { scopes: 'tasks/read tasks/write', tenantCount: 3, admin: false },
  } satisfies APIGatewayAuthorizerResult;
}

const hang = () => new Promise<never>(() => undefined);

/** Answers by token, so a test picks the authorizer's behaviour through the Authorization header. */
async function stubAuthorizer(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const stage = event.methodArn.split('/').slice(0, 2).join('/');
  switch (event.authorizationToken) {
    case 'good':
    case 'other-good':
      return allow('alice', `${stage}/*/*`);
    case 'bob':
      return allow('bob', `${stage}/*/*`);
    case 'deny':
      return allow('alice', `${stage}/*/*`, 'Deny');
    case 'get-only':
      return allow('alice', [`${stage}/GET/tasks`, `${stage}/GET/tasks/*`]);
    case 'unauthorized':
      throw new Error('Unauthorized');
    case 'malformed':
      return { principalId: 'alice' } as APIGatewayAuthorizerResult;
    case 'bad-context':
      return { ...allow('alice', `${stage}/*/*`), context: { nested: { a: 1 } } } as never;
    case 'slow':
      return hang();
    default:
      throw new Error('boom: database password is hunter2');
  }
}

/** Answers by the last path segment. */
async function stubHandler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  switch (event.path.split('/').at(-1)) {
    case 'malformed':
      return { statusCode: '200', body: { not: 'a string' } } as never;
    case 'throws':
      throw new Error('handler crashed');
    case 'slow':
      return hang();
    case 'own-length':
      return { statusCode: 200, headers: { 'content-length': '999' }, body: 'é' };
    case 'no-content':
      return { statusCode: 204, body: '' };
    default:
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/json' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
        body: JSON.stringify({ ok: true }),
      };
  }
}

interface Harness {
  readonly url: (path: string) => string;
  readonly authorizerEvents: APIGatewayTokenAuthorizerEvent[];
  readonly handlerEvents: APIGatewayProxyEvent[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
    ),
  );
});

async function startGateway(options: Partial<GatewayOptions> = {}): Promise<Harness> {
  const authorizerEvents: APIGatewayTokenAuthorizerEvent[] = [];
  const handlerEvents: APIGatewayProxyEvent[] = [];
  const gateway = createGateway({
    api,
    corsOrigins: ['*'],
    authorizer: async (event) => {
      authorizerEvents.push(event);
      return stubAuthorizer(event);
    },
    handler: async (event) => {
      handlerEvents.push(event);
      return stubHandler(event);
    },
    authorizerTimeoutMs: 200,
    integrationTimeoutMs: 200,
    ...options,
  });
  const server = createServer((req, res) => void gateway(req, res));
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}/dev${path}`, authorizerEvents, handlerEvents };
}

describe('the local gateway, when the authorizer', () => {
  it('throws anything but Unauthorized, answers 500 with a null message and no internals', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'explodes' });
    expect(reply.status).toBe(500);
    expect(reply.json).toEqual({ message: null });
    expect(reply.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
    expect(reply.text).not.toContain('hunter2');
  });

  it('fails, does not cache the failure', async () => {
    const gw = await startGateway();
    await call(gw.url('/tasks'), 'GET', { token: 'explodes' });
    await call(gw.url('/tasks'), 'GET', { token: 'explodes' });
    expect(gw.authorizerEvents).toHaveLength(2);
  });

  it('throws Unauthorized, answers 401 Unauthorized', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'unauthorized' });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ message: 'Unauthorized' });
    expect(reply.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  it('answers without a policy document, answers 500', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'malformed' });
    expect(reply.status).toBe(500);
    expect(gw.handlerEvents).toHaveLength(0);
  });

  it('answers with a nested context value, answers 500', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'bad-context' });
    expect(reply.status).toBe(500);
  });

  it('times out, answers 500', async () => {
    const gw = await startGateway({ authorizerTimeoutMs: 50 });
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'slow' });
    expect(reply.status).toBe(500);
  });

  it('returns an explicit Deny, answers 403 with the explicit-deny message', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'deny' });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({
      message: 'User is not authorized to access this resource with an explicit deny',
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
    expect(reply.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });

  it('allows other routes only, answers 403 without calling the handler', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'POST', { token: 'get-only', body: {} });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({
      message: 'User is not authorized to access this resource',
      Message: 'User is not authorized to access this resource',
    });
    expect(gw.handlerEvents).toHaveLength(0);
  });

  it('receives a TOKEN event with the raw header and the methodArn of the request', async () => {
    const gw = await startGateway();
    await call(gw.url(TASK), 'DELETE', { token: 'good' });
    expect(gw.authorizerEvents).toEqual([
      {
        type: 'TOKEN',
        authorizationToken: 'good',
        methodArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/DELETE${TASK}`,
      },
    ]);
  });
});

describe('the local gateway, before the authorizer', () => {
  it('answers 401 to a missing Authorization header without invoking the authorizer', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET');
    expect(reply.status).toBe(401);
    expect(gw.authorizerEvents).toHaveLength(0);
  });

  it('answers 401 to a blank Authorization header without invoking the authorizer', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: '   ' });
    expect(reply.status).toBe(401);
    expect(gw.authorizerEvents).toHaveLength(0);
  });

  it('answers 401 when the identity validation expression does not match, without invoking the authorizer', async () => {
    const gw = await startGateway({ identityValidationExpression: /^Bearer .+$/ });
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'good' });
    expect(reply.status).toBe(401);
    expect(gw.authorizerEvents).toHaveLength(0);
  });

  it('answers 403 Missing Authentication Token to an unknown route without invoking the authorizer', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks/a/b'), 'GET', { token: 'good' });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ message: 'Missing Authentication Token' });
    expect(gw.authorizerEvents).toHaveLength(0);
  });

  it('answers an unknown route sent with an Authorization header as the stack does: fixed text, never the token', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/nothing'), 'GET', { token: 'secret-token-value' });
    expect(reply.status).toBe(403);
    expect(reply.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(reply.text).toBe(JSON.stringify(GATEWAY_RESPONSES.MISSING_AUTHENTICATION_TOKEN.body));
    const unsigned = await call(gw.url('/nothing'), 'GET');
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('throttles CORS preflights like any method of the stage', async () => {
    const gw = await startGateway({ throttle: { rateLimit: 0.001, burstLimit: 1 } });
    expect((await call(gw.url('/tasks'), 'OPTIONS')).status).toBe(204);
    const throttled = await call(gw.url('/tasks'), 'OPTIONS');
    expect(throttled.status).toBe(429);
    expect(throttled.json).toEqual({ message: 'Too Many Requests' });
  });

  it('answers 429 Too Many Requests once the burst is spent', async () => {
    const gw = await startGateway({ throttle: { rateLimit: 0.001, burstLimit: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call(gw.url('/tasks'), 'GET', { token: 'good' })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('answers 413 to a body over the payload limit', async () => {
    const gw = await startGateway({ maxPayloadBytes: 1024 });
    const reply = await call(gw.url('/tasks'), 'POST', { token: 'good', rawBody: 'x'.repeat(1025) });
    expect(reply.status).toBe(413);
    expect(gw.handlerEvents).toHaveLength(0);
  });
});

describe("the local gateway, past a principal's own request rate", () => {
  const principalLimits = { rateLimit: 0.001, burstLimit: 2 };
  const statusesOf = async (gw: Harness, tokens: string[], path = '/tasks') => {
    const statuses: number[] = [];
    for (const token of tokens) statuses.push((await call(gw.url(path), 'GET', { token })).status);
    return statuses;
  };

  it('answers 429 with Retry-After in whole seconds and the JSON message, also on cached decisions', async () => {
    const gw = await startGateway({ principalLimits });
    expect(await statusesOf(gw, ['good', 'good'])).toEqual([200, 200]);
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'good' });
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(reply.json).toEqual(GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.body);
    expect(gw.authorizerEvents).toHaveLength(1); // the later two were the cache's decisions
  });

  it("counts the principal's requests whichever of its tokens they carry", async () => {
    const gw = await startGateway({ principalLimits });
    expect(await statusesOf(gw, ['good', 'other-good', 'other-good'])).toEqual([200, 200, 429]);
  });

  it('leaves another principal its whole budget', async () => {
    const gw = await startGateway({ principalLimits });
    expect(await statusesOf(gw, ['good', 'good', 'good', 'bob', 'bob'])).toEqual([200, 200, 429, 200, 200]);
  });

  it("spends none of the stage's throttling on what it refuses, as WAF refuses before API Gateway", async () => {
    const gw = await startGateway({ principalLimits, throttle: { rateLimit: 0.001, burstLimit: 4 } });
    expect(await statusesOf(gw, ['good', 'good', 'good', 'good', 'bob', 'bob'])).toEqual([
      200, 200, 429, 429, 200, 200,
    ]);
  });

  it('never limits the public routes', async () => {
    const gw = await startGateway({ principalLimits: { rateLimit: 0.001, burstLimit: 1 } });
    expect(await statusesOf(gw, ['good', 'good', 'good'], '/openapi.json')).toEqual([200, 200, 200]);
  });
});

describe('the local gateway, past Lambda’s 6 MB invoke payload', () => {
  it('answers 413 Request Too Long without invoking the handler', async () => {
    const gw = await startGateway();
    const rawBody = JSON.stringify({ title: 'x'.repeat(API_GATEWAY_LIMITS.lambdaInvokePayloadBytes) });
    const reply = await call(gw.url('/tasks'), 'POST', { token: 'good', rawBody });
    expect(reply.status).toBe(413);
    expect(reply.json).toEqual({ message: 'Request Too Long' });
    expect(reply.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(gw.handlerEvents).toHaveLength(0);
  });

  it('counts the event as JSON: escapes that take a body past 6 MB are refused too', async () => {
    const gw = await startGateway();
    const rawBody = '\u0001'.repeat(1024 * 1024 + 1);
    const reply = await call(gw.url('/tasks'), 'POST', {
      token: 'good',
      rawBody,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(reply.status).toBe(413);
    expect(gw.handlerEvents).toHaveLength(0);
  });

  it('passes a body just under the limit on to the handler', async () => {
    const gw = await startGateway();
    const rawBody = JSON.stringify({
      title: 'x'.repeat(API_GATEWAY_LIMITS.lambdaInvokePayloadBytes - 64 * 1024),
    });
    const reply = await call(gw.url('/tasks'), 'POST', { token: 'good', rawBody });
    expect(reply.status).toBe(200);
    expect(gw.handlerEvents).toHaveLength(1);
  });
});

describe('the local gateway, with a chunked body and no Content-Length', () => {
  it('answers 413 once the body passes the payload limit, without calling the handler', async () => {
    const gw = await startGateway({ maxPayloadBytes: 1024 });
    const chunks = [new Uint8Array(800), new Uint8Array(800)];
    const body = new ReadableStream({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(gw.url('/tasks'), {
      method: 'POST',
      headers: { Authorization: 'good' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(gw.handlerEvents).toHaveLength(0);
  });
});

describe('the local gateway, when the handler', () => {
  it('returns a malformed response, answers 502 Internal server error', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks/malformed'), 'GET', { token: 'good' });
    expect(reply.status).toBe(502);
    expect(reply.json).toEqual({ message: 'Internal server error' });
  });

  it('throws, answers 502 without its message', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks/throws'), 'GET', { token: 'good' });
    expect(reply.status).toBe(502);
    expect(reply.text).not.toContain('crashed');
  });

  it('times out, answers 504 Endpoint request timed out', async () => {
    const gw = await startGateway({ integrationTimeoutMs: 50 });
    const reply = await call(gw.url('/tasks/slow'), 'GET', { token: 'good' });
    expect(reply.status).toBe(504);
    expect(reply.json).toEqual({ message: 'Endpoint request timed out' });
  });

  it('sets multi-value headers, passes each value on', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'good' });
    expect(reply.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('is invoked, receives the principal and the context values as strings', async () => {
    const gw = await startGateway();
    await call(gw.url('/tasks'), 'GET', { token: 'good' });
    expect(gw.handlerEvents[0]?.requestContext.authorizer).toMatchObject({
      principalId: 'alice',
      scopes: 'tasks/read tasks/write',
      tenantCount: '3',
      admin: 'false',
    });
  });
});

/** The status line's headers exactly as sent: fetch hides how a body was framed. */
function rawHeaders(url: string, token: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: { Authorization: token } }, (res) => {
      res.resume();
      res.on('end', () => done(res.headers));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the local gateway, framing the response', () => {
  it('states the length of every body, never chunks, as API Gateway buffers the response', async () => {
    const gw = await startGateway();
    const headers = await rawHeaders(gw.url('/tasks'), 'good');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify({ ok: true }))));
    expect(headers['transfer-encoding']).toBeUndefined();
    const refused = await rawHeaders(gw.url('/nowhere'), 'good');
    expect(refused['content-length']).toBe(
      String(JSON.stringify({ message: 'Missing Authentication Token' }).length),
    );
  });

  it("replaces the integration's own Content-Length with the length of the body it sends", async () => {
    const gw = await startGateway();
    const headers = await rawHeaders(gw.url('/tasks/own-length'), 'good');
    expect(headers['content-length']).toBe('2');
  });

  it('sends no Content-Length with a 204', async () => {
    const gw = await startGateway();
    const headers = await rawHeaders(gw.url('/tasks/no-content'), 'good');
    expect(headers['content-length']).toBeUndefined();
    expect(headers['transfer-encoding']).toBeUndefined();
  });
});

describe('the authorizer cache', () => {
  it('reuses a result for the same token within the TTL, on any route', async () => {
    const gw = await startGateway({ authorizerCacheTtlSeconds: 300 });
    await call(gw.url('/tasks'), 'GET', { token: 'good' });
    await call(gw.url(TASK), 'DELETE', { token: 'good' });
    await call(gw.url('/tasks'), 'POST', { token: 'good', body: {} });
    expect(gw.authorizerEvents).toHaveLength(1);
  });

  it('invokes the authorizer again for another token', async () => {
    const gw = await startGateway({ authorizerCacheTtlSeconds: 300 });
    await call(gw.url('/tasks'), 'GET', { token: 'good' });
    await call(gw.url('/tasks'), 'GET', { token: 'other-good' });
    expect(gw.authorizerEvents).toHaveLength(2);
  });

  it('invokes the authorizer on every request when the TTL is 0', async () => {
    const gw = await startGateway({ authorizerCacheTtlSeconds: 0 });
    for (let i = 0; i < 3; i++) await call(gw.url('/tasks'), 'GET', { token: 'good' });
    expect(gw.authorizerEvents).toHaveLength(3);
  });

  it('applies a cached policy to each new route: a GET-only token stays refused on POST', async () => {
    const gw = await startGateway({ authorizerCacheTtlSeconds: 300 });
    const read = await call(gw.url('/tasks'), 'GET', { token: 'get-only' });
    const write = await call(gw.url('/tasks'), 'POST', { token: 'get-only', body: {} });
    expect([read.status, write.status]).toEqual([200, 403]);
    expect(gw.authorizerEvents).toHaveLength(1);
  });
});

describe('the proxy event the handler receives', () => {
  it('has the resource, path parameters, stage-prefixed context path and multi-value query', async () => {
    const gw = await startGateway();
    await call(gw.url(`${TASK}?tag=a&tag=b&x=1`), 'GET', { token: 'good' });
    const event = gw.handlerEvents[0];
    expect(event).toMatchObject({
      resource: '/tasks/{taskId}',
      path: TASK,
      httpMethod: 'GET',
      pathParameters: { taskId: '0190a8a4-0000-7000-8000-000000000000' },
      queryStringParameters: { tag: 'b', x: '1' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], x: ['1'] },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event?.requestContext).toMatchObject({
      path: `/dev${TASK}`,
      resourcePath: '/tasks/{taskId}',
      stage: 'dev',
      accountId: '123456789012',
      apiId: 'abc123',
      httpMethod: 'GET',
    });
  });

  it('has null parameter maps when there is no query and no path parameter', async () => {
    const gw = await startGateway();
    await call(gw.url('/tasks'), 'GET', { token: 'good' });
    expect(gw.handlerEvents[0]).toMatchObject({
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    });
  });

  it('carries a JSON body as its bytes in base64, as binaryMediaTypes make API Gateway do', async () => {
    const gw = await startGateway();
    await call(gw.url('/tasks'), 'POST', { token: 'good', body: { title: 'x' } });
    const event = gw.handlerEvents[0];
    expect(event?.isBase64Encoded).toBe(true);
    expect(Buffer.from(event?.body ?? '', 'base64').toString('utf8')).toBe('{"title":"x"}');
  });

  it('carries a body of a media type that is not binary as text, bad bytes replaced as API Gateway does', async () => {
    const gw = await startGateway();
    const body = Buffer.from([0x61, 0xff, 0x62]);
    await fetch(gw.url('/tasks'), {
      method: 'POST',
      headers: { Authorization: 'good', 'Content-Type': 'text/plain' },
      body,
    });
    expect(gw.handlerEvents[0]).toMatchObject({ isBase64Encoded: false, body: 'a\uFFFDb' });
  });
});

describe('CORS on gateway responses', () => {
  it('sends a single allowed origin as a static value on a gateway 401, whoever asks', async () => {
    const gw = await startGateway({ corsOrigins: ['https://app.example'] });
    for (const origin of ['https://app.example', 'https://evil.example']) {
      const reply = await call(gw.url('/tasks'), 'GET', { headers: { Origin: origin } });
      expect(reply.headers.get('access-control-allow-origin')).toBe('https://app.example');
    }
  });

  it('echoes any caller’s origin with several allowed origins, as the stack’s gateway responses must', async () => {
    const gw = await startGateway({ corsOrigins: ['https://app.example', 'https://admin.example'] });
    const reply = await call(gw.url('/tasks'), 'GET', { headers: { Origin: 'https://evil.example' } });
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(reply.headers.get('vary')).toBe('Origin');
  });

  it('still answers a preflight from an unlisted origin without allowing it', async () => {
    const gw = await startGateway({ corsOrigins: ['https://app.example', 'https://admin.example'] });
    const reply = await call(gw.url('/tasks'), 'OPTIONS', { headers: { Origin: 'https://evil.example' } });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('marks a preflight no-store and nosniff, as the stack’s MOCK does', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'OPTIONS', { headers: { Origin: 'https://app.example' } });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('marks gateway errors no-store and nosniff, as every API response', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('adds CORS headers to a 5XX', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/tasks'), 'GET', { token: 'explodes' });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a preflight on an unknown path with 403 Missing Authentication Token', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/nothing'), 'OPTIONS');
    expect(reply.status).toBe(403);
  });
});

describe('the local gateway on a public route', () => {
  it('calls the handler without the authorizer and without a principal, even with no Authorization', async () => {
    const gw = await startGateway();
    const reply = await call(gw.url('/openapi.json'), 'GET');
    expect(reply.status).toBe(200);
    expect(gw.authorizerEvents).toHaveLength(0);
    expect(gw.handlerEvents[0]?.resource).toBe('/openapi.json');
    expect(gw.handlerEvents[0]?.requestContext.authorizer).toBeNull();
  });

  it('still authorizes the task routes next to it', async () => {
    const gw = await startGateway();
    expect((await call(gw.url('/tasks'), 'GET')).status).toBe(401);
  });
});
