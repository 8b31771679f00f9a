/**
 * The one route table. The CDK stack creates exactly these API Gateway resources and methods, the local
 * gateway matches exactly these, and the task handler dispatches on them: the three cannot disagree.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type OperationId =
  | 'listTasks'
  | 'createTask'
  | 'getTask'
  | 'updateTask'
  | 'deleteTask'
  | 'moveTask'
  | 'listLists'
  | 'createList'
  | 'getList'
  | 'updateList'
  | 'deleteList'
  | 'listMembers'
  | 'setMember'
  | 'removeMember'
  | 'getOpenApi'
  | 'getDocs'
  | 'getDocsAsset';

export interface Route {
  readonly method: HttpMethod;
  /** An API Gateway resource path, with `{name}` path parameters. */
  readonly resource: string;
  readonly operationId: OperationId;
  /** The scope a caller needs; the authorizer's policy grants routes by it. */
  readonly scope: 'tasks/read' | 'tasks/write';
  /**
   * Served without the authorizer (the API's own description and docs page). Public routes are never in
   * an authorizer policy; the gateway and the CDK stack skip authorization for them.
   */
  readonly public?: boolean;
}

/**
 * The task routes of one list's collection: `/tasks` (the caller's default list, as the prototype had it)
 * and `/lists/{listId}/tasks` offer exactly the same operations.
 */
const taskRoutes = (tasks: string): Route[] => [
  { method: 'GET', resource: tasks, operationId: 'listTasks', scope: 'tasks/read' },
  { method: 'POST', resource: tasks, operationId: 'createTask', scope: 'tasks/write' },
  { method: 'GET', resource: `${tasks}/{taskId}`, operationId: 'getTask', scope: 'tasks/read' },
  { method: 'PUT', resource: `${tasks}/{taskId}`, operationId: 'updateTask', scope: 'tasks/write' },
  { method: 'PATCH', resource: `${tasks}/{taskId}`, operationId: 'updateTask', scope: 'tasks/write' },
  { method: 'DELETE', resource: `${tasks}/{taskId}`, operationId: 'deleteTask', scope: 'tasks/write' },
  { method: 'POST', resource: `${tasks}/{taskId}/move`, operationId: 'moveTask', scope: 'tasks/write' },
];

/** The prefix of the task routes inside a list; the rest of a path is as under `/tasks`. */
export const LIST_TASKS_PREFIX = '/lists/{listId}';

export const ROUTES: readonly Route[] = Object.freeze([
  ...taskRoutes('/tasks'),
  { method: 'GET', resource: '/lists', operationId: 'listLists', scope: 'tasks/read' },
  { method: 'POST', resource: '/lists', operationId: 'createList', scope: 'tasks/write' },
  { method: 'GET', resource: '/lists/{listId}', operationId: 'getList', scope: 'tasks/read' },
  { method: 'PATCH', resource: '/lists/{listId}', operationId: 'updateList', scope: 'tasks/write' },
  { method: 'DELETE', resource: '/lists/{listId}', operationId: 'deleteList', scope: 'tasks/write' },
  { method: 'GET', resource: '/lists/{listId}/members', operationId: 'listMembers', scope: 'tasks/read' },
  {
    method: 'PUT',
    resource: '/lists/{listId}/members/{principalId}',
    operationId: 'setMember',
    scope: 'tasks/write',
  },
  {
    method: 'DELETE',
    resource: '/lists/{listId}/members/{principalId}',
    operationId: 'removeMember',
    scope: 'tasks/write',
  },
  ...taskRoutes(`${LIST_TASKS_PREFIX}/tasks`),
  { method: 'GET', resource: '/openapi.json', operationId: 'getOpenApi', scope: 'tasks/read', public: true },
  { method: 'GET', resource: '/docs', operationId: 'getDocs', scope: 'tasks/read', public: true },
  {
    method: 'GET',
    resource: '/docs/{asset}',
    operationId: 'getDocsAsset',
    scope: 'tasks/read',
    public: true,
  },
]);

export { DEFAULT_STAGE } from '../settings/platform.js';

/** The distinct resource paths, parents before children (the order CDK must create them in). */
export function resourcePaths(routes: readonly Route[] = ROUTES): string[] {
  return [...new Set(routes.map((route) => route.resource))].sort(
    (a, b) => a.split('/').length - b.split('/').length,
  );
}

export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Readonly<Record<string, string>> | null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // API Gateway passes a malformed escape through as it came
  }
}

/** A resource's segments, each a literal or `{name}`'s name: parsed once, matched on every request. */
const segmentCache = new Map<string, readonly { literal: string; param?: string }[]>();

function segmentsOf(resource: string) {
  let segments = segmentCache.get(resource);
  if (!segments) {
    segments = resource.split('/').map((literal) => ({ literal, param: /^\{(\w+)\}$/.exec(literal)?.[1] }));
    segmentCache.set(resource, segments);
  }
  return segments;
}

function matchResource(resource: string, path: string): Record<string, string> | undefined {
  const want = segmentsOf(resource);
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, { literal: part, param }] of want.entries()) {
    const actual = got[i] ?? '';
    if (param) {
      if (actual === '') return undefined;
      params[param] = safeDecode(actual);
    } else if (part !== actual) return undefined;
  }
  return params;
}

/** Finds the resource a path belongs to, whatever the method (used for CORS preflight). */
export function findResource(path: string, routes: readonly Route[] = ROUTES): string | undefined {
  return resourcePaths(routes).find((resource) => matchResource(resource, path) !== undefined);
}

export function matchRoute(
  method: string,
  path: string,
  routes: readonly Route[] = ROUTES,
): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchResource(route.resource, path);
    if (params) return { route, pathParameters: Object.keys(params).length > 0 ? params : null };
  }
  return undefined;
}
