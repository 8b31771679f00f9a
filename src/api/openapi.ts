// Long on purpose (~250 lines): every operation's description beside the route table that generates the document; split, a route and its documentation would live apart.
import { FEED_LIMITS } from '../domain/change-feed.js';
import { LIMITS } from '../domain/limits.js';
import { LIST_PARAMETER_RULES } from '../domain/list-query.js';
import { TASK_LIMITS } from '../domain/task.js';
import {
  ASSET_PARAMETER,
  CONDITIONAL_HEADERS,
  LIST_ID_PARAMETER,
  listPageParameters,
  listParameters,
  listsParameters,
  PRINCIPAL_ID_PARAMETER,
  requestBody,
  TASK_ID_PARAMETER,
} from './openapi-parameters.js';
import {
  CREATED_HEADERS,
  errorResponses,
  LIST_RESPONSE,
  LISTS_RESPONSE,
  listResponse,
  MEMBERS_RESPONSE,
  memberResponse,
  NO_CONTENT,
  notModifiedRef,
  PREFLIGHT_RESPONSE,
  publicResponse,
  REPLAYED_HEADER,
  RESPONSES,
  taskResponse,
} from './openapi-responses.js';
import { SCHEMAS } from './openapi-schemas.js';
import { DEFAULT_STAGE, LIST_TASKS_PREFIX, type OperationId, ROUTES, resourcePaths } from './routes.js';

type Json = Record<string, unknown>;

/** Everything but path, method and errors, for each operation of the route table. */
const OPERATIONS: Record<OperationId, Json> = {
  listTasks: {
    summary: 'List tasks, a page at a time',
    description:
      'Filters combine as the table in docs/api.md says; a combination no index serves is a 400 that says why ' +
      '(`x-parameter-rules` lists them). ' +
      'Follow the `Link: rel="next"` header for the next page. Each parameter may appear at most once: ' +
      'a repeated one is a 400 that names it. The collection always exists and has no ETag. ' +
      'With `updatedSince` it is the change feed: every task changed at or after that instant, oldest change ' +
      `first, and a tombstone for each deletion. A change shows once it is ${FEED_LIMITS.settleMs / 1000} s ` +
      'old, so a client that passes back the greatest `updatedAt` it received never misses one.',
    tags: ['tasks'],
    parameters: [...listParameters(), CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    // The combinations no index serves, machine-readable: JSON Schema cannot relate two parameters.
    'x-parameter-rules': LIST_PARAMETER_RULES,
    responses: { '200': LIST_RESPONSE, '304': notModifiedRef },
  },
  createTask: {
    summary: 'Create a task',
    description:
      'The target is the collection, which always exists and has no ETag: `If-Match: *` holds, and ' +
      '`If-None-Match: *` is a 412 that stores nothing. To create exactly once, send an `Idempotency-Key`.',
    tags: ['tasks'],
    parameters: [
      CONDITIONAL_HEADERS.idempotencyKey,
      CONDITIONAL_HEADERS.ifMatch,
      CONDITIONAL_HEADERS.ifNoneMatch,
    ],
    requestBody: requestBody('CreateTask'),
    responses: { '201': taskResponse('Created', { ...CREATED_HEADERS, ...REPLAYED_HEADER }) },
  },
  getTask: {
    summary: 'Get a task',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    responses: { '200': taskResponse('The task'), '304': notModifiedRef },
  },
  updateTask: {
    summary: 'Update some fields of a task',
    description: '`PUT` and `PATCH` both apply a partial update.',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    requestBody: requestBody('TaskPatch'),
    responses: { '200': taskResponse('The updated task') },
  },
  deleteTask: {
    summary: 'Delete a task',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    responses: { '204': NO_CONTENT },
  },
  moveTask: {
    summary: 'Move a task: reorder it, make it a subtask, or send it to another list',
    description:
      'Places the task after `previousId` (first when null) under `parentId` (top level when null), in ' +
      'its list or in `listId`. Its subtasks travel with it. Within a list it writes the task (and its ' +
      'subtasks), never the rest of the list; `position` is read-only and changes only here.',
    tags: ['tasks'],
    parameters: [TASK_ID_PARAMETER, CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    requestBody: requestBody('MoveTask'),
    responses: { '200': taskResponse('The moved task') },
  },
  listLists: {
    summary: 'List the lists, a page at a time',
    description:
      'The lists the caller owns or is a member of, each with its `role` and `memberCount`: the default list ' +
      '(`@default`) first, then the others in creation order. With `updatedSince` it is the lists feed: the ' +
      'lists changed since (renamed, or the caller added or its role changed), and a tombstone ' +
      '`{listId, deleted: true, updatedAt}` for each list deleted or left since, oldest first, settled as the ' +
      'task feed is.',
    tags: ['lists'],
    parameters: listsParameters(),
    responses: { '200': LISTS_RESPONSE },
  },
  createList: {
    summary: 'Create a list',
    tags: ['lists'],
    requestBody: requestBody('ListInput'),
    responses: { '201': listResponse('Created', CREATED_HEADERS) },
  },
  getList: {
    summary: 'Get a list',
    tags: ['lists'],
    parameters: [CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    responses: { '200': listResponse('The list'), '304': notModifiedRef },
  },
  updateList: {
    summary: 'Rename a list',
    tags: ['lists'],
    parameters: [CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    requestBody: requestBody('ListInput'),
    responses: { '200': listResponse('The renamed list') },
  },
  deleteList: {
    summary: 'Delete a list and its tasks',
    description:
      'Answers at once: the list and its tasks are gone from every read, and the tasks are purged in the ' +
      'background. The default list cannot be deleted.',
    tags: ['lists'],
    parameters: [CONDITIONAL_HEADERS.ifMatch, CONDITIONAL_HEADERS.ifNoneMatch],
    responses: { '204': NO_CONTENT },
  },
  listMembers: {
    summary: "List a list's members, a page at a time",
    description: 'Every member may see the others. The default list has one member, its owner.',
    tags: ['sharing'],
    parameters: listPageParameters(),
    responses: { '200': MEMBERS_RESPONSE },
  },
  setMember: {
    summary: 'Share a list: add a member, or change its role',
    description:
      'Only the owner may. The role is `editor` (reads and writes tasks, renames the list) or `viewer` ' +
      "(reads only). The owner's own role cannot be changed, and the default list is never shared.",
    tags: ['sharing'],
    requestBody: requestBody('MemberInput'),
    responses: {
      '200': memberResponse('The role was changed'),
      '201': memberResponse('The principal is now a member'),
    },
  },
  removeMember: {
    summary: 'Remove a member, or leave a list',
    description:
      'The owner removes any other member; any member removes itself, which is leaving. The owner cannot ' +
      'leave: it removes the others and deletes the list. The removal holds from the very next request.',
    tags: ['sharing'],
    responses: { '204': { ...NO_CONTENT, description: 'Removed' } },
  },
  getOpenApi: {
    summary: 'This OpenAPI document',
    tags: ['meta'],
    responses: { '200': publicResponse('The document', 'application/json', { type: 'object' }) },
  },
  getDocs: {
    summary: 'The interactive API reference (Swagger UI)',
    tags: ['meta'],
    responses: { '200': publicResponse('An HTML page', 'text/html', { type: 'string' }) },
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
    },
  },
};

/**
 * A unique id per route: PUT and PATCH share a handler operation but not a document operationId, nor do
 * `/tasks` and `/lists/{listId}/tasks`.
 */
const documentOperationId = (operationId: OperationId, method: string, resource: string) =>
  (method === 'PATCH' && operationId === 'updateTask' ? 'patchTask' : operationId) +
  (resource.startsWith(`${LIST_TASKS_PREFIX}/tasks`) ? 'InList' : '');

/** The path parameters of a resource, in path order. */
const pathParameters = (path: string): Json[] => [
  ...(path.includes('{listId}') ? [LIST_ID_PARAMETER] : []),
  ...(path.includes('{taskId}') ? [TASK_ID_PARAMETER] : []),
  ...(path.includes('{principalId}') ? [PRINCIPAL_ID_PARAMETER] : []),
  ...(path.includes('{asset}') ? [ASSET_PARAMETER] : []),
];

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
      const { responses, parameters = [], ...operation } = OPERATIONS[route.operationId];
      const errors = errorResponses(route.operationId, {
        authorized: !route.public,
        body: 'requestBody' in operation,
      });
      const named = new Set(pathParameters(path).map((p) => p.name));
      item[route.method.toLowerCase()] = {
        operationId: documentOperationId(route.operationId, route.method, route.resource),
        parameters: [...pathParameters(path), ...(parameters as Json[]).filter((p) => !named.has(p.name))],
        ...operation,
        responses: { ...(responses as Json), ...errors },
        ...(route.public && { security: [] }),
      };
    }
    item.options = {
      operationId: preflightId(path),
      summary: 'CORS preflight',
      tags: ['cors'],
      security: [],
      ...(path.includes('{') && { parameters: pathParameters(path) }),
      responses: { '204': PREFLIGHT_RESPONSE, ...errorResponses() },
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
        `Tasks in lists: create, list (filtered, sorted, paged), read, update, move and delete; lists, ` +
        `subtasks and manual order. ` +
        `A title holds at most ${TASK_LIMITS.titleMaxLength} characters, a task at most ${TASK_LIMITS.maxTags} tags. ` +
        `Stored amounts are capped (a 409 \`limit-reached\` past one): ${LIMITS.listsOwned.toLocaleString('en-US')} lists ` +
        `owned and ${LIMITS.memberships.toLocaleString('en-US')} lists a principal is a member of, ` +
        `${LIMITS.membersPerList} members and ${LIMITS.tasksPerList.toLocaleString('en-US')} tasks per list, ` +
        `${LIMITS.subtasksPerTask.toLocaleString('en-US')} subtasks per task. Each caller has a request budget (a 429 past it).`,
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
      { name: 'tasks', description: 'Tasks: `/tasks` is the default list, `/lists/{listId}/tasks` any list' },
      { name: 'lists', description: 'Lists of tasks; every principal has a default list, `@default`' },
      { name: 'sharing', description: "A list's members and their roles: `owner`, `editor`, `viewer`" },
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
