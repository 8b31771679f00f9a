import { FEED_LIMITS } from '../domain/change-feed.js';
import { TASK_LIMITS } from '../domain/task.js';
import {
  ASSET_PARAMETER,
  CONDITIONAL_HEADERS,
  CREATED_HEADERS,
  LIST_RESPONSE,
  listParameters,
  NO_CONTENT,
  PREFLIGHT_RESPONSE,
  PUBLIC_HEADERS,
  REPLAYED_HEADER,
  RESPONSES,
  requestBody,
  responseRef,
  SCHEMAS,
  TASK_ID_PARAMETER,
  taskResponse,
} from './openapi-parts.js';
import { DEFAULT_STAGE, type OperationId, ROUTES, resourcePaths } from './routes.js';

type Json = Record<string, unknown>;
type Status = keyof typeof RESPONSES;

/** What API Gateway itself may answer on every authorized route. */
const GATEWAY_STATUSES: Record<string, Status> = {
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '413': 'PayloadTooLarge',
  '429': 'TooManyRequests',
  '500': 'InternalError',
  '502': 'BadGateway',
  '503': 'Unavailable',
  '504': 'GatewayTimeout',
};

const errors = (...statuses: [string, Status][]) =>
  Object.fromEntries(
    [...Object.entries(GATEWAY_STATUSES), ...statuses].map(([s, name]) => [s, responseRef(name)]),
  );

const PUBLIC_ERRORS = Object.fromEntries(
  (['413', '429', '500', '502', '504'] as const).map((s) => [s, responseRef(GATEWAY_STATUSES[s] as Status)]),
);

const publicResponse = (description: string, mediaType: string, schema: Json) => ({
  description,
  headers: PUBLIC_HEADERS,
  content: { [mediaType]: { schema } },
});

/** Everything but path and method, for each operation of the route table. */
const OPERATIONS: Record<OperationId, Json> = {
  listTasks: {
    summary: 'List tasks, a page at a time',
    description:
      "Filters combine as the README's table says; a combination no index serves is a 400 that says why. " +
      'Follow the `Link: rel="next"` header for the next page. With `updatedSince` it is the change feed: ' +
      'every task changed at or after that instant, oldest change first, and a tombstone for each deletion. ' +
      `A change shows once it is ${FEED_LIMITS.settleMs / 1000} s old, so a client that passes back the ` +
      'greatest `updatedAt` it received never misses one.',
    tags: ['tasks'],
    parameters: listParameters(),
    responses: { '200': LIST_RESPONSE, ...errors(['400', 'BadRequest'], ['410', 'Gone']) },
  },
  createTask: {
    summary: 'Create a task',
    tags: ['tasks'],
    parameters: [CONDITIONAL_HEADERS.idempotencyKey],
    requestBody: requestBody('CreateTask'),
    responses: {
      '201': taskResponse('Created', { ...CREATED_HEADERS, ...REPLAYED_HEADER }),
      ...errors(
        ['400', 'BadRequest'],
        ['409', 'IdempotencyInProgress'],
        ['415', 'UnsupportedMediaType'],
        ['422', 'IdempotencyKeyReused'],
      ),
    },
  },
  getTask: {
    summary: 'Get a task',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifNoneMatch],
    responses: {
      '200': taskResponse('The task'),
      ...errors(['304', 'NotModified'], ['400', 'BadRequest'], ['404', 'NotFound']),
    },
  },
  updateTask: {
    summary: 'Update some fields of a task',
    description: '`PUT` and `PATCH` both apply a partial update.',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifMatch],
    requestBody: requestBody('TaskPatch'),
    responses: {
      '200': taskResponse('The updated task'),
      ...errors(
        ['400', 'BadRequest'],
        ['404', 'NotFound'],
        ['412', 'PreconditionFailed'],
        ['415', 'UnsupportedMediaType'],
      ),
    },
  },
  deleteTask: {
    summary: 'Delete a task',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifMatch],
    responses: {
      '204': NO_CONTENT,
      ...errors(['400', 'BadRequest'], ['404', 'NotFound'], ['412', 'PreconditionFailed']),
    },
  },
  getOpenApi: {
    summary: 'This OpenAPI document',
    tags: ['meta'],
    responses: {
      '200': publicResponse('The document', 'application/json', { type: 'object' }),
      ...PUBLIC_ERRORS,
    },
  },
  getDocs: {
    summary: 'The interactive API reference (Swagger UI)',
    tags: ['meta'],
    responses: { '200': publicResponse('An HTML page', 'text/html', { type: 'string' }), ...PUBLIC_ERRORS },
  },
  getDocsAsset: {
    summary: 'A static file of the API reference page',
    tags: ['meta'],
    parameters: [ASSET_PARAMETER],
    responses: {
      '200': {
        ...publicResponse('The file', 'text/css', { type: 'string' }),
        content: {
          'text/css': { schema: { type: 'string' } },
          'text/javascript': { schema: { type: 'string' } },
        },
      },
      '404': { ...responseRef('NotFound') },
      ...PUBLIC_ERRORS,
    },
  },
};

/** A unique id per method: PUT and PATCH share a handler operation but not a document operationId. */
const documentOperationId = (operationId: OperationId, method: string) =>
  method === 'PATCH' ? 'patchTask' : operationId;

const preflightId = (path: string) =>
  `preflight${path
    .split('/')
    .map((part) => part.replace(/[{}.]/g, '').replace(/^\w/, (c) => c.toUpperCase()))
    .join('')}`;

function pathItems(): Json {
  const paths: Record<string, Json> = {};
  for (const path of resourcePaths()) {
    const item: Json = {};
    for (const route of ROUTES.filter((r) => r.resource === path)) {
      item[route.method.toLowerCase()] = {
        operationId: documentOperationId(route.operationId, route.method),
        ...OPERATIONS[route.operationId],
        ...(route.public && { security: [] }),
      };
    }
    item.options = {
      operationId: preflightId(path),
      summary: 'CORS preflight',
      tags: ['cors'],
      security: [],
      ...(path.includes('{') && {
        parameters: [path.includes('{taskId}') ? TASK_ID_PARAMETER : ASSET_PARAMETER],
      }),
      responses: { '204': PREFLIGHT_RESPONSE, ...PUBLIC_ERRORS },
    };
    paths[path] = item;
  }
  return paths;
}

/** The OpenAPI 3.1 document of the API, built from the route table and the zod schemas that validate. */
export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Task API',
      version: '1.0.0',
      description:
        `Tasks per principal: create, list (filtered, sorted, paged), read, update and delete. ` +
        `A title holds at most ${TASK_LIMITS.titleMaxLength} characters, a task at most ${TASK_LIMITS.maxTags} tags.`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      { url: `/${DEFAULT_STAGE}`, description: 'The stage this document is served from' },
      {
        url: `https://{apiId}.execute-api.{region}.amazonaws.com/${DEFAULT_STAGE}`,
        description: 'A deployed stage',
        variables: { apiId: { default: 'abc123' }, region: { default: 'eu-west-1' } },
      },
    ],
    security: [{ tokenAuth: [] }],
    tags: [
      { name: 'tasks', description: 'The task resource' },
      { name: 'meta', description: 'This document and its docs page (no auth)' },
      { name: 'cors', description: 'Preflight requests, answered by API Gateway' },
    ],
    paths: pathItems(),
    components: {
      securitySchemes: {
        tokenAuth: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'The token, raw or as `Bearer <token>`; checked by the TOKEN authorizer.',
        },
      },
      schemas: SCHEMAS,
      responses: RESPONSES,
    },
  };
}
