import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { memoryServices } from '../../test/support/memory-services.js';
import { makeTaskService } from '../domain/task-service.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { makeHandler } from './handler.js';

const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../openapi/openapi.json'), 'utf8'));

const service = makeTaskService({
  store: new MemoryTaskStore(),
  idempotency: new MemoryIdempotencyStore(),
  now: () => new Date(),
  newId: () => '0190a8a4-0000-7000-8000-000000000001',
});
const services = memoryServices(service);
const handle = makeHandler({
  servicesFor: () => services,
  corsOrigins: ['*'],
  logger: { error: () => undefined },
});

/** GET /openapi.json as API Gateway passes it from a stage (no authorizer: the route is public). */
const fromStage = (stage: string) =>
  ({
    resource: '/openapi.json',
    path: '/openapi.json',
    httpMethod: 'GET',
    headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', stage, path: `/${stage}/openapi.json` },
  }) as unknown as APIGatewayProxyEvent;

describe('the served OpenAPI document', () => {
  it('names the stage it is served from as its first server, so "Try it out" calls that stage', async () => {
    const served = JSON.parse((await handle(fromStage('prod'))).body);
    expect(served.servers[0].url).toBe('/prod');
    expect({ ...served, servers: served.servers.slice(1) }).toEqual({
      ...committed,
      servers: committed.servers.slice(1),
    });
  });

  it('is the committed document on the dev stage', async () => {
    expect(JSON.parse((await handle(fromStage('dev'))).body)).toEqual(committed);
    expect(committed.servers[0].url).toBe('/dev');
  });

  it('follows the stage when one function serves two in turn', async () => {
    const urls = [];
    for (const stage of ['prod', 'dev', 'prod'])
      urls.push(JSON.parse((await handle(fromStage(stage))).body).servers[0].url);
    expect(urls).toEqual(['/prod', '/dev', '/prod']);
  });
});
