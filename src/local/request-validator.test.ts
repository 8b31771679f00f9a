import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ROUTES, type Route } from '../api/routes.js';
import { createGateway } from './gateway.js';
import { draft4Compiler, makeBodyValidator } from './request-validator.js';

const routeOf = (operationId: Route['operationId']): Route => {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  return route;
};
const validate = makeBodyValidator();
const JSON_TYPE = 'application/json; charset=utf-8';

describe('the local request validator (API Gateway validateRequestBody)', () => {
  it('passes a body that matches the model generated from the zod schema', () => {
    expect(validate(routeOf('createTask'), JSON_TYPE, '{"title":"x","status":"DONE"}')).toBe(true);
  });

  it.each([
    ['a create without title', 'createTask', '{"description":"no title"}'],
    ['an unknown status', 'createTask', '{"title":"x","status":"LATER"}'],
    ['a title over 200 characters', 'updateTask', JSON.stringify({ title: 'x'.repeat(201) })],
    ['malformed JSON', 'updateTask', '{"title":'],
    ['an empty body where the model requires a field', 'createTask', null],
    ['a JSON array', 'updateTask', '[]'],
  ] as const)('refuses %s', (_what, operationId, body) => {
    expect(validate(routeOf(operationId), JSON_TYPE, body)).toBe(false);
  });

  it('treats a missing Content-Type as application/json', () => {
    expect(validate(routeOf('createTask'), undefined, '{}')).toBe(false);
  });

  it('has no model for other media types or bodiless operations, so they pass', () => {
    expect(validate(routeOf('createTask'), 'text/plain', 'title')).toBe(true);
    expect(validate(routeOf('listTasks'), JSON_TYPE, 'whatever')).toBe(true);
  });
});

describe('the local model compiler', () => {
  it.each([
    ['examples', { type: 'string', examples: ['x'] }],
    ['const', { type: 'object', properties: { a: { const: 'x' } } }],
    ['$id', { $id: 'https://example.com/task', type: 'object' }],
  ])('refuses a model with %s, as API Gateway does at deploy time', (keyword, schema) => {
    expect(() => draft4Compiler()(schema)).toThrow(`Unsupported keyword(s): /`);
    expect(() => draft4Compiler()(schema)).toThrow(keyword);
  });

  it('compiles a draft-04 model with formats', () => {
    const validate = draft4Compiler()({ type: 'string', format: 'date' });
    expect([validate('2026-12-01'), validate('tomorrow')]).toEqual([true, false]);
  });
});

describe('the local gateway with body validation on', () => {
  it('answers BAD_REQUEST_BODY with CORS and never calls the Lambda', async () => {
    const calls: APIGatewayProxyEvent[] = [];
    const gateway = createGateway({
      api: { region: 'eu-west-1', accountId: '123456789012', apiId: 'abc123', stage: 'dev' },
      corsOrigins: ['*'],
      validateBody: validate,
      authorizer: async (event) => ({
        principalId: 'alice',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${event.methodArn}`] }],
        },
      }),
      handler: async (event) => {
        calls.push(event);
        return { statusCode: 201, body: '{}' };
      },
    });
    const server = createServer((req, res) => void gateway(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/tasks`;
    try {
      const post = (body: string) =>
        fetch(url, { method: 'POST', headers: { Authorization: 't', 'Content-Type': JSON_TYPE }, body });
      const refused = await post('{"description":"no title"}');
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ message: 'Invalid request body' });
      expect(refused.headers.get('x-amzn-errortype')).toBe('BadRequestException');
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
      expect(calls).toHaveLength(0);
      expect((await post('{"title":"ok"}')).status).toBe(201);
      expect(calls).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
