import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  buildProxyEvent,
  integrationBodyOf,
  isProxyResult,
  methodArnOf,
  type ProxyEventInput,
} from './proxy-event.js';

const api = { region: 'eu-west-1', accountId: '123456789012', apiId: 'abc123', stage: 'dev' };

function requestOf(method: string, rawHeaders: string[]): IncomingMessage {
  return {
    method,
    rawHeaders,
    httpVersion: '1.1',
    socket: { remoteAddress: '::ffff:10.1.2.3' },
  } as IncomingMessage;
}

function input(overrides: Partial<ProxyEventInput> & { url?: URL } = {}): ProxyEventInput {
  return {
    api,
    req: requestOf('GET', ['Host', 'localhost:3000', 'User-Agent', 'curl/8']),
    url: new URL('http://localhost:3000/dev/tasks'),
    resourcePath: '/tasks',
    resourcePathWithinStage: '/tasks',
    pathParameters: null,
    body: null,
    requestId: 'req-1',
    receivedAt: new Date('2026-11-26T16:14:13.000Z'),
    authorizer: { principalId: 'alice', integrationLatency: 3 },
    forwardedHeaders: { 'X-Forwarded-Proto': 'http' },
    ...overrides,
  };
}

describe('buildProxyEvent', () => {
  it('keeps __proto__ query parameters and headers as ordinary keys', () => {
    const req = requestOf('GET', ['Host', 'localhost', '__proto__', 'h']);
    const url = new URL('http://localhost/dev/tasks?__proto__=1&__proto__=2');
    const event = buildProxyEvent(input({ req, url }));
    expect(Object.entries(event.multiValueQueryStringParameters ?? {})).toEqual([['__proto__', ['1', '2']]]);
    expect(Object.entries(event.queryStringParameters ?? {})).toEqual([['__proto__', '2']]);
    expect(Object.entries(event.multiValueHeaders)).toContainEqual(['__proto__', ['h']]);
  });

  it('sets the parameter maps to null when empty', () => {
    const event = buildProxyEvent(input());
    expect(event).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('keeps every value of a repeated query parameter, and the last in the single map', () => {
    const event = buildProxyEvent(input({ url: new URL('http://localhost/dev/tasks?s=a&s=b&limit=5') }));
    expect(event.queryStringParameters).toEqual({ s: 'b', limit: '5' });
    expect(event.multiValueQueryStringParameters).toEqual({ s: ['a', 'b'], limit: ['5'] });
  });

  it('keeps every value of a repeated header, merging names case-insensitively', () => {
    const req = requestOf('GET', ['Host', 'h', 'Accept', 'a/b', 'accept', 'c/d']);
    const event = buildProxyEvent(input({ req }));
    expect(event.multiValueHeaders.Accept).toEqual(['a/b', 'c/d']);
    expect(event.headers.Accept).toBe('c/d');
  });

  it('adds the forwarded headers unless the client sent them', () => {
    const req = requestOf('GET', ['Host', 'h', 'x-forwarded-proto', 'https']);
    const event = buildProxyEvent(input({ req }));
    expect(event.headers['x-forwarded-proto']).toBe('https');
    expect(event.headers['X-Forwarded-Proto']).toBeUndefined();
  });

  it('puts the stage prefix in requestContext.path but not in path', () => {
    const event = buildProxyEvent(
      input({
        resourcePath: '/tasks/{taskId}',
        resourcePathWithinStage: '/tasks/abc',
        pathParameters: { taskId: 'abc' },
      }),
    );
    expect(event.path).toBe('/tasks/abc');
    expect(event.resource).toBe('/tasks/{taskId}');
    expect(event.pathParameters).toEqual({ taskId: 'abc' });
    expect(event.requestContext).toMatchObject({
      path: '/dev/tasks/abc',
      resourcePath: '/tasks/{taskId}',
      stage: 'dev',
    });
  });

  it('fills the request context like API Gateway', () => {
    const { requestContext } = buildProxyEvent(input());
    expect(requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'abc123',
      httpMethod: 'GET',
      requestId: 'req-1',
      requestTime: '26/Nov/2026:16:14:13 +0000',
      requestTimeEpoch: Date.parse('2026-11-26T16:14:13.000Z'),
      protocol: 'HTTP/1.1',
      authorizer: { principalId: 'alice', integrationLatency: 3 },
    });
    expect(requestContext.identity).toMatchObject({ sourceIp: '10.1.2.3', userAgent: 'curl/8' });
  });
});

describe('methodArnOf', () => {
  it('builds arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}', () => {
    expect(methodArnOf(api, 'PATCH', '/tasks/abc')).toBe(
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/PATCH/tasks/abc',
    );
  });
});

describe('isProxyResult', () => {
  it.each([
    ['a minimal result', { statusCode: 200, body: '' }],
    [
      'headers and multi-value headers',
      { statusCode: 201, body: '{}', headers: { a: 1 }, multiValueHeaders: { b: ['x'] } },
    ],
  ])('accepts %s', (_kind, value) => {
    expect(isProxyResult(value)).toBe(true);
  });

  it.each([
    ['undefined', undefined],
    ['a string status', { statusCode: '200', body: '' }],
    ['a status out of range', { statusCode: 700, body: '' }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['a nested header value', { statusCode: 200, body: '', headers: { a: { b: 1 } } }],
    ['a scalar multi-value header', { statusCode: 200, body: '', multiValueHeaders: { a: 'x' } }],
    ['a string isBase64Encoded', { statusCode: 200, body: '', isBase64Encoded: 'yes' }],
  ])('refuses %s', (_kind, value) => {
    expect(isProxyResult(value)).toBe(false);
  });
});

describe('the integration body', () => {
  it('is base64 of the bytes sent for a binary media type (application/*)', () => {
    const raw = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(integrationBodyOf(raw, 'application/json; charset=utf-8')).toEqual({
      body: raw.toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('is UTF-8 text, bad bytes replaced, for any other media type or none', () => {
    const raw = Buffer.from([0x61, 0xff, 0x62]);
    for (const contentType of ['text/plain', undefined])
      expect(integrationBodyOf(raw, contentType)).toEqual({ body: 'a\uFFFDb', isBase64Encoded: false });
  });

  it('is null when nothing was sent', () => {
    expect(integrationBodyOf(Buffer.alloc(0), 'application/json')).toEqual({
      body: null,
      isBase64Encoded: false,
    });
  });
});
