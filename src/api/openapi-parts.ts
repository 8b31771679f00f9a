import * as z from 'zod';
import { FEED_LIMITS, TombstoneSchema } from '../domain/change-feed.js';
import { ListQueryParamsSchema } from '../domain/list-query.js';
import { CreateTaskSchema, TaskPatchSchema, TaskSchema } from '../domain/task.js';
import { CORS_EXPOSE_HEADERS } from './cors.js';
import { DOCS_ASSETS } from './docs-page.js';
import { ProblemSchema } from './respond.js';

type Json = Record<string, unknown>;

/** A zod schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema object, without the `$schema` marker. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json;
  return rest;
}

/** API Gateway's own error bodies (policy denials also carry AWS's capital `Message`). */
const GatewayErrorSchema = z
  .strictObject({ message: z.string().nullable(), Message: z.string().optional() })
  .meta({
    title: 'GatewayError',
    description: 'An error API Gateway answers itself, before the task Lambda',
  });

const EXAMPLE_TASK = {
  taskId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d',
  title: 'Write the quarterly report',
  description: 'Numbers from finance first',
  status: 'IN_PROGRESS',
  priority: 'HIGH',
  dueDate: '2026-12-01',
  tags: ['work', 'reports'],
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-21T15:30:00.000Z',
  version: 2,
};

const EXAMPLE_TOMBSTONE = {
  taskId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0e',
  deleted: true,
  updatedAt: '2026-11-21T16:00:00.000Z',
};

export const SCHEMAS = {
  Task: { ...jsonSchemaOf(TaskSchema, 'output'), examples: [EXAMPLE_TASK] },
  Tombstone: { ...jsonSchemaOf(TombstoneSchema, 'output'), examples: [EXAMPLE_TOMBSTONE] },
  CreateTask: {
    ...jsonSchemaOf(CreateTaskSchema, 'input'),
    examples: [
      { title: 'Write the quarterly report', priority: 'HIGH', dueDate: '2026-12-01', tags: ['work'] },
    ],
  },
  TaskPatch: {
    ...jsonSchemaOf(TaskPatchSchema, 'input'),
    description: 'Send only the fields to change; `dueDate: null` removes the due date.',
    examples: [{ status: 'DONE' }],
  },
  Problem: {
    ...jsonSchemaOf(ProblemSchema, 'output'),
    examples: [
      {
        type: 'urn:task-service:problem:not-found',
        title: 'Not Found',
        status: 404,
        detail: 'Task not found',
        message: 'Task not found',
        requestId: 'c0a80164-1f2e-4b5a-9c3d-7e8f9a0b1c2d',
      },
    ],
  },
  GatewayError: { ...jsonSchemaOf(GatewayErrorSchema, 'output'), examples: [{ message: 'Unauthorized' }] },
};

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const header = (description: string, required = false, schema: Json = { type: 'string' }) => ({
  description,
  required,
  schema,
});

/** Headers on every response (CORS and request ids). Allow-Origin is absent for an origin not allowed. */
const COMMON_HEADERS = {
  'Access-Control-Allow-Origin': header("`*`, or the caller's origin when CORS_ALLOWED_ORIGINS lists it"),
  'Access-Control-Expose-Headers': header(`Always \`${CORS_EXPOSE_HEADERS.join(', ')}\``, true),
  'x-amzn-RequestId': header("API Gateway's request id", true),
};
const LAMBDA_HEADERS = {
  ...COMMON_HEADERS,
  'X-Request-Id': header('The request id, also in the logs', true),
};
const GATEWAY_HEADERS = {
  ...COMMON_HEADERS,
  'x-amzn-ErrorType': header('The kind of gateway error, e.g. `UnauthorizedException`', true),
};
const RETRY_AFTER = { 'Retry-After': header('Seconds to wait before retrying', true) };

const problemContent = { 'application/problem+json': { schema: ref('Problem') } };
const gatewayContent = { 'application/json': { schema: ref('GatewayError') } };

/** Reusable responses. A status both the gateway and the task Lambda can answer lists both media types. */
export const RESPONSES = {
  BadRequest: {
    description:
      'A broken rule: invalid JSON, field, query, header or cursor (or, with request validation on, API Gateway refusing the body)',
    content: { ...problemContent, ...gatewayContent },
    headers: COMMON_HEADERS,
  },
  Unauthorized: {
    description: 'No, an empty or an invalid `Authorization` header (API Gateway)',
    content: { ...gatewayContent, ...problemContent },
    headers: GATEWAY_HEADERS,
  },
  Forbidden: {
    description: "The token's policy does not allow this route, or the path is unknown (API Gateway)",
    content: gatewayContent,
    headers: GATEWAY_HEADERS,
  },
  NotFound: {
    description: "Task not found (also for another principal's task)",
    content: problemContent,
    headers: LAMBDA_HEADERS,
  },
  PayloadTooLarge: {
    description: 'A body over 64 KiB (the task service) or 10 MB (API Gateway)',
    content: { ...problemContent, ...gatewayContent },
    headers: COMMON_HEADERS,
  },
  UnsupportedMediaType: {
    description: 'A body that is not JSON',
    content: problemContent,
    headers: LAMBDA_HEADERS,
  },
  TooManyRequests: {
    description:
      "Over the stage's throttling limits (API Gateway), or the store is throttling (retry after `Retry-After`)",
    content: { ...gatewayContent, ...problemContent },
    headers: COMMON_HEADERS,
  },
  InternalError: {
    description:
      'An unexpected failure (the body carries only a request id), or the authorizer failed (API Gateway)',
    content: { ...problemContent, ...gatewayContent },
    headers: COMMON_HEADERS,
  },
  BadGateway: {
    description: 'The task Lambda failed (API Gateway)',
    content: gatewayContent,
    headers: GATEWAY_HEADERS,
  },
  Unavailable: {
    description: 'The store is unavailable; retry after `Retry-After`',
    content: problemContent,
    headers: { ...LAMBDA_HEADERS, ...RETRY_AFTER },
  },
  NotModified: {
    description: '`If-None-Match` matches the current version',
    headers: { ...LAMBDA_HEADERS, ETag: header('The current version as a strong ETag', true) },
  },
  PreconditionFailed: {
    description: '`If-Match` names none of the current version; the ETag header gives the current one',
    content: problemContent,
    headers: { ...LAMBDA_HEADERS, ETag: header('The current version as a strong ETag', true) },
  },
  IdempotencyInProgress: {
    description: 'A request with the same `Idempotency-Key` is still running; retry after `Retry-After`',
    content: problemContent,
    headers: { ...LAMBDA_HEADERS, ...RETRY_AFTER },
  },
  IdempotencyKeyReused: {
    description: 'The `Idempotency-Key` was used before with another body',
    content: problemContent,
    headers: LAMBDA_HEADERS,
  },
  Gone: {
    description: `\`updatedSince\` is older than the ${FEED_LIMITS.retentionDays}-day retention of deletions: do a full resync`,
    content: problemContent,
    headers: LAMBDA_HEADERS,
  },
  GatewayTimeout: {
    description: 'The task Lambda took longer than 29 s (API Gateway)',
    content: gatewayContent,
    headers: GATEWAY_HEADERS,
  },
};

export const responseRef = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });

export function taskResponse(description: string, extraHeaders: Json = {}) {
  return {
    description,
    headers: {
      ...LAMBDA_HEADERS,
      ETag: header('The version as a strong ETag, e.g. `"3"`', true),
      ...extraHeaders,
    },
    content: { 'application/json': { schema: ref('Task') } },
  };
}

export const LIST_RESPONSE = {
  description:
    'One page of tasks, as a bare array; with `updatedSince`, a page of the change feed: tasks and tombstones',
  headers: {
    ...LAMBDA_HEADERS,
    Link: header('RFC 8288 `<…/tasks?…&cursor=…>; rel="next"` while more tasks remain'),
  },
  content: {
    'application/json': {
      schema: { type: 'array', items: { oneOf: [ref('Task'), ref('Tombstone')] } },
      example: [EXAMPLE_TASK, EXAMPLE_TOMBSTONE],
    },
  },
};

export const REPLAYED_HEADER = {
  'Idempotent-Replayed': header(
    '`true` when this repeats the answer to an earlier request with the same key',
  ),
};

const headerParameter = (name: string, description: string) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
});

export const CONDITIONAL_HEADERS = {
  ifMatch: headerParameter(
    'If-Match',
    'Write only while the task is at one of these ETags (or `*`); else 412',
  ),
  ifNoneMatch: headerParameter('If-None-Match', 'Answer 304 while the task is at one of these ETags'),
  idempotencyKey: headerParameter(
    'Idempotency-Key',
    'Retrying with the same key and body repeats the first answer instead of creating twice (1–255 visible ASCII)',
  ),
};

export const CREATED_HEADERS = {
  Location: header("The new task's URL", true, { type: 'string', format: 'uri' }),
};
export const NO_CONTENT = { description: 'Deleted', headers: LAMBDA_HEADERS };

export const requestBody = (name: 'CreateTask' | 'TaskPatch') => ({
  required: true,
  content: { 'application/json': { schema: ref(name) } },
});

/** The list endpoint's query parameters, from the same schema that parses them. */
export function listParameters(): Json[] {
  const schema = jsonSchemaOf(ListQueryParamsSchema, 'input') as { properties: Record<string, Json> };
  return Object.entries(schema.properties).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: property,
  }));
}

export const TASK_ID_PARAMETER = {
  name: 'taskId',
  in: 'path',
  required: true,
  description: 'The task id (a UUID the server assigned)',
  schema: { type: 'string', format: 'uuid' },
};

export const ASSET_PARAMETER = {
  name: 'asset',
  in: 'path',
  required: true,
  description: 'A file of the docs page',
  schema: { type: 'string', enum: Object.keys(DOCS_ASSETS) },
};

export const PUBLIC_HEADERS = COMMON_HEADERS;

export const PREFLIGHT_RESPONSE = {
  description: 'CORS preflight, answered by API Gateway without auth',
  headers: {
    ...COMMON_HEADERS,
    'Access-Control-Allow-Methods': header('The methods of this path', true),
    'Access-Control-Allow-Headers': header('The request headers a browser may send', true),
    'Access-Control-Max-Age': header('Seconds a browser may cache this answer', true),
  },
};
