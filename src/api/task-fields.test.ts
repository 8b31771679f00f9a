import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { memoryServices } from '../../test/support/memory-services.js';
import {
  type ClientField,
  type ClientFieldValues,
  CreateTaskSchema,
  isNullableField,
  PATCHABLE_FIELDS,
  SERVER_FIELDS,
  TaskPatchSchema,
  TaskSchema,
} from '../domain/task.js';
import { makeTaskService } from '../domain/task-service.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../store/memory-task-store.js';
import { makeHandler } from './handler.js';
import { buildOpenApiDocument } from './openapi.js';
import { requestModelOf } from './request-models.js';

/**
 * Every client field of the task schemas, walked end to end: created, returned, patched alone, nulled
 * where the patch schema allows null (and refused where it does not), and described in the OpenAPI
 * document and the API Gateway request models. SAMPLES is typed over the schema's fields, so a field added
 * to the schemas does not compile until it has a row here, and then each step below runs on it.
 */
const SAMPLES: { readonly [K in ClientField]-?: readonly [ClientFieldValues[K], ClientFieldValues[K]] } = {
  title: ['Write the report', 'Rewrite the report'],
  description: ['Numbers first', 'Words first'],
  status: ['IN_PROGRESS', 'PENDING'],
  priority: ['HIGH', 'LOW'],
  dueDate: ['2026-12-01', '2027-01-31T09:00:00Z'],
  tags: [['work'], ['home', 'errands']],
};
const FIELDS = Object.keys(SAMPLES).filter((name): name is ClientField => name in SAMPLES);

function eventOf(method: string, taskId: string | undefined, body?: unknown): APIGatewayProxyEvent {
  const headers = { Host: 'api.example', 'Content-Type': 'application/json' };
  return {
    resource: taskId ? '/tasks/{taskId}' : '/tasks',
    path: taskId ? `/tasks/${taskId}` : '/tasks',
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: taskId ? { taskId } : null,
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      path: '/dev/tasks',
      stage: 'dev',
      authorizer: { principalId: 'alice' },
    },
  } as unknown as APIGatewayProxyEvent;
}

function api() {
  let n = 0;
  const service = makeTaskService({
    store: new MemoryTaskStore(),
    idempotency: new MemoryIdempotencyStore(),
    now: () => new Date('2026-01-01T00:00:00.000Z'),
    newId: () => `0190a8a4-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  });
  const services = memoryServices(service);
  const logger = { error: () => undefined };
  const handle = makeHandler({ servicesFor: () => services, corsOrigins: ['*'], deadlineMs: 2500, logger });
  return async (method: string, taskId?: string, body?: unknown) => {
    const result = await handle(eventOf(method, taskId, body));
    return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
  };
}

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
const doc = buildOpenApiDocument() as any;
const schemas = doc.components.schemas;
const acceptsNull = (schema: { type?: unknown; anyOf?: { type?: unknown }[] }): boolean =>
  schema.type === 'null' || (schema.anyOf ?? []).some(acceptsNull);

describe('the client fields', () => {
  it('are the same in the create, patch and task schemas, and are what a patch may change', () => {
    const taskFields = Object.keys(TaskSchema.shape).filter(
      (name) => !SERVER_FIELDS.some((s) => s === name) && name !== 'parentId',
    );
    // `parentId` is set on create only; after, a move changes it.
    expect(Object.keys(CreateTaskSchema.shape)).toEqual([...FIELDS, 'parentId']);
    expect(Object.keys(TaskPatchSchema.shape)).toEqual(FIELDS);
    expect(taskFields).toEqual(FIELDS);
    expect(PATCHABLE_FIELDS).toEqual(FIELDS);
  });

  it("are each a row of docs/api.md's task table, with the server's fields", () => {
    const api = readFileSync(join(import.meta.dirname, '../../docs/api.md'), 'utf8');
    const table = api.split('\n## The task\n')[1]?.split('\n## ')[0] ?? '';
    const documented = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split(' | ')[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]));
    expect(documented.sort()).toEqual(Object.keys(TaskSchema.shape).sort());
  });

  describe.each(FIELDS)('%s', (field) => {
    const [first, second] = SAMPLES[field];
    const createBody = { title: 'A task', [field]: first };

    it('is created and returned as sent', async () => {
      const call = api();
      const created = await call('POST', undefined, createBody);
      expect(created.status).toBe(201);
      expect(created.body[field]).toEqual(first);
      expect((await call('GET', created.body.taskId)).body[field]).toEqual(first);
    });

    it('is changed by a patch that sends it alone', async () => {
      const call = api();
      const { taskId } = (await call('POST', undefined, createBody)).body;
      const patched = await call('PATCH', taskId, { [field]: second });
      expect([patched.status, patched.body[field], patched.body.version]).toEqual([200, second, 2]);
      expect((await call('GET', taskId)).body[field]).toEqual(second);
    });

    it(`is ${isNullableField(field) ? 'removed by' : 'kept, with a 400, on'} a patch that sends null`, async () => {
      const call = api();
      const { taskId } = (await call('POST', undefined, createBody)).body;
      const nulled = await call('PATCH', taskId, { [field]: null });
      const after = (await call('GET', taskId)).body;
      if (isNullableField(field)) {
        expect(nulled.status).toBe(200);
        expect(after).not.toHaveProperty(field);
      } else {
        expect(nulled.status).toBe(400);
        expect(after[field]).toEqual(first);
      }
    });

    it('is described in the OpenAPI document: task, create, patch, and the patch rule', () => {
      expect(schemas.Task.properties).toHaveProperty(field);
      expect(schemas.CreateTask.properties).toHaveProperty(field);
      expect(acceptsNull(schemas.TaskPatch.properties[field])).toBe(isNullableField(field));
      expect(schemas.TaskPatch.not.propertyNames.not.enum).toContain(field);
    });

    it.each(['createTask', 'updateTask'] as const)(
      'is in the API Gateway request model of %s',
      (operation) => {
        expect(requestModelOf(operation)?.schema.properties).toHaveProperty(field);
      },
    );
  });
});
