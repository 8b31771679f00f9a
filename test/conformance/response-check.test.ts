import { describe, expect, it } from 'vitest';
import { assertConforms } from '../support/openapi-conformance.js';

const URL_LIST = 'http://127.0.0.1:1/dev/tasks';
const TASK = {
  taskId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d',
  title: 't',
  description: '',
  status: 'PENDING',
  priority: 'MEDIUM',
  tags: [],
  listId: '@default',
  position: 'gVd8J3Dm',
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:00:00.000Z',
  version: 1,
};
const lambdaHeaders = (extra: Record<string, string> = {}) =>
  new Headers({
    'Content-Type': 'application/json',
    'Access-Control-Expose-Headers': 'Location',
    'x-amzn-RequestId': 'r',
    'X-Request-Id': 'r',
    ...extra,
  });
const reply = (status: number, body: unknown, headers = lambdaHeaders()) => ({
  status,
  headers,
  text: JSON.stringify(body),
});

describe('the conformance check every e2e response goes through', () => {
  it('accepts a documented list response', () => {
    expect(() => assertConforms('GET', URL_LIST, reply(200, [TASK]))).not.toThrow();
  });

  it('refuses an undocumented status', () => {
    expect(() => assertConforms('GET', URL_LIST, reply(418, []))).toThrow(/status 418 is not documented/);
  });

  it('refuses a task with an undocumented field', () => {
    expect(() => assertConforms('GET', URL_LIST, reply(200, [{ ...TASK, owner: 'bob' }]))).toThrow(/body/);
  });

  it('refuses a response without a required documented header', () => {
    const headers = lambdaHeaders();
    headers.delete('X-Request-Id');
    expect(() => assertConforms('GET', URL_LIST, reply(200, [TASK], headers))).toThrow(/X-Request-Id/);
  });

  it('refuses a created task without Location', () => {
    const headers = lambdaHeaders({ ETag: '"1"' });
    expect(() => assertConforms('POST', URL_LIST, reply(201, TASK, headers))).toThrow(/Location/);
  });

  it('refuses an undocumented media type', () => {
    const headers = lambdaHeaders({ 'Content-Type': 'text/plain' });
    expect(() => assertConforms('GET', URL_LIST, { status: 200, headers, text: 'hi' })).toThrow(/media type/);
  });

  it('accepts API Gateway 403 for an unknown path and nothing else there', () => {
    const gateway = new Headers({ 'Content-Type': 'application/json' });
    const unknown = 'http://127.0.0.1:1/dev/nope';
    const forbidden = { message: 'Missing Authentication Token' };
    expect(() => assertConforms('GET', unknown, reply(403, forbidden, gateway))).not.toThrow();
    expect(() => assertConforms('GET', unknown, reply(200, forbidden, gateway))).toThrow(/not a 403/);
  });
});
