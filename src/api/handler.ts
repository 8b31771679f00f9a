// Long on purpose (~300 lines): one operation per route, each parsing, calling one use case and shaping its response; split, the routes would no longer read as one table.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { beforeDeadline, type Deadline, deadlineIn, REQUEST_DEADLINE_MS } from '../domain/deadline.js';
import { PreconditionFailedError } from '../domain/errors.js';
import { parseListQuery } from '../domain/list-query.js';
import type { ListService } from '../domain/list-service.js';
import { DEFAULT_LIST_ID, defaultListOf, type ListAccess, type ListRef } from '../domain/task-list.js';
import type { TaskService } from '../domain/task-service.js';
import {
  parseCreateTask,
  parseListInput,
  parseMemberInput,
  parseMoveTask,
  parseTaskPatch,
} from '../domain/validate.js';
import { corsHeaders } from './cors.js';
import { DOCS_ASSETS, docsPageCsp, docsPageHtml, isDocsAsset, readDocsAsset } from './docs-page.js';
import { unknownAsset, unknownRoute } from './http-errors.js';
import { readOpenApiDocument } from './openapi-file.js';
import { etagOf, evaluate, preconditionsOf, writeConditionOf } from './preconditions.js';
import { headerOf, idempotencyKeyOf, jsonBodyOf, principalOf, requestUrlOf } from './request.js';
import { isExpectedError, json, noContent, notModified, problem, text } from './respond.js';
import { API_RESPONSE_HEADERS } from './response-headers.js';
import { type OperationId, ROUTES } from './routes.js';

export interface HandlerLogger {
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Lets the composition root see requests (for logs, traces and metrics) without the handler knowing how. */
export interface HandlerObserver {
  /** Once the route and the caller are known. */
  onRoute?(operationId: OperationId, principalId: string): void;
  /** Every error the handler turns into a response, expected or not. */
  onError?(error: unknown): void;
}

/**
 * `Request` is what the caller hands the handler with each event besides the event itself (the task function:
 * the list the request's store calls are timed into). A request's context travels by hand, as its deadline
 * does, never through ambient state.
 */
/** The use cases one request may call. */
export interface Services {
  readonly tasks: TaskService;
  readonly lists: ListService;
}

export interface HandlerDeps<Request = void> {
  /** The services for one request, given its deadline (which their every store call shares) and its context. */
  readonly servicesFor: (deadline: Deadline, request: Request) => Services;
  readonly corsOrigins: readonly string[];
  readonly logger: HandlerLogger;
  readonly observer?: HandlerObserver;
  /** The handler answers by then, whatever the store does (503 with Retry-After); see `domain/deadline.ts`. */
  readonly deadlineMs?: number;
  /** The clock a credential's expiry is checked against (epoch milliseconds). */
  readonly now?: () => number;
}

type Operation = (
  event: APIGatewayProxyEvent,
  principalId: string,
  services: Services,
) => Promise<APIGatewayProxyResult>;

function taskIdOf(event: APIGatewayProxyEvent): string {
  return event.pathParameters?.taskId ?? '';
}

const listIdOf = (event: APIGatewayProxyEvent): string => event.pathParameters?.listId ?? DEFAULT_LIST_ID;

/**
 * The list a task route is on: `/tasks` is the caller's default list; any other is checked for a membership
 * whose role allows `need` (read, or write for a change).
 */
const listOf = (
  event: APIGatewayProxyEvent,
  principalId: string,
  { lists }: Services,
  need: ListAccess,
): Promise<ListRef> =>
  event.pathParameters?.listId === undefined
    ? Promise.resolve(defaultListOf(principalId))
    : lists.listFor(principalId, event.pathParameters.listId, need);

const memberIdOf = (event: APIGatewayProxyEvent): string => event.pathParameters?.principalId ?? '';

/** The `Link: rel="next"` header of a page: the same request, with the page's cursor. */
function nextLink(event: APIGatewayProxyEvent, nextCursor: string | undefined): Record<string, string> {
  if (!nextCursor) return {};
  const next = requestUrlOf(event);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {}))
    if (value !== undefined) next.searchParams.set(name, value);
  next.searchParams.set('cursor', nextCursor);
  return { Link: `<${next.href}>; rel="next"` };
}

let openApi: { stagePath: string; json: string } | undefined;
/**
 * The committed document as served from a stage: its first server is that stage (`/prod`), so "Try it
 * out" calls the stage the reader is on; on `/dev` these are the bytes of `openapi/openapi.json`
 * serialised compactly. Kept after first use.
 */
function openApiJsonFor(stagePath: string): string {
  if (openApi?.stagePath !== stagePath) {
    const openApiDocument = readOpenApiDocument();
    const [here, ...others] = openApiDocument.servers;
    const json = JSON.stringify({ ...openApiDocument, servers: [{ ...here, url: stagePath }, ...others] });
    openApi = { stagePath, json };
  }
  return openApi.json;
}

/** The stage part of the public path (`/dev`), whatever resource was called. */
function stagePathOf(event: APIGatewayProxyEvent): string {
  const full = event.requestContext.path ?? '';
  return full.endsWith(event.path)
    ? full.slice(0, full.length - event.path.length)
    : `/${event.requestContext.stage}`;
}

/** The named parameters of a query, the others left out (a list of lists takes only `limit` and `cursor`). */
const pick = <T>(params: Readonly<Record<string, T>>, names: readonly string[]): Record<string, T> =>
  Object.fromEntries(Object.entries(params).filter(([name]) => names.includes(name)));

/** Each operation parses, makes one service call and shapes the response. */
function makeOperations(): Record<OperationId, Operation> {
  return {
    async createTask(event, principalId, services) {
      const preconditions = preconditionsOf(event);
      const input = parseCreateTask(jsonBodyOf(event));
      const idempotencyKey = idempotencyKeyOf(event);
      // Every response header is known before the write: a bad Host is a 400 with nothing stored.
      const collection = requestUrlOf(event).href.replace(/\/$/, '');
      // The target is the collection: it always exists and has no ETag, so `If-None-Match: *` is a 412.
      if (evaluate(preconditions, undefined, false) === 'failed')
        throw new PreconditionFailedError(undefined);
      const list = await listOf(event, principalId, services, 'write');
      const { task, replayed } = await services.tasks.createTask(list, principalId, input, {
        ...(idempotencyKey !== undefined && { idempotencyKey }),
      });
      const headers = { Location: `${collection}/${task.taskId}`, ETag: etagOf(task.version) };
      return json(201, task, replayed ? { ...headers, 'Idempotent-Replayed': 'true' } : headers);
    },

    async listTasks(event, principalId, services) {
      const query = event.queryStringParameters ?? {};
      const params = event.multiValueQueryStringParameters ?? query;
      const listQuery = parseListQuery(params);
      requestUrlOf(event); // a Link cannot be built from a bad Host: a 400 before any read
      const evaluation = evaluate(preconditionsOf(event), undefined, true);
      if (evaluation === 'failed') throw new PreconditionFailedError(undefined);
      if (evaluation === 'not-modified') return notModified({});
      const list = await listOf(event, principalId, services, 'read');
      const page = await services.tasks.listTasks(list, listQuery);
      return json(200, page.items, nextLink(event, page.nextCursor));
    },

    async getTask(event, principalId, services) {
      const preconditions = preconditionsOf(event);
      const list = await listOf(event, principalId, services, 'read');
      const task = await services.tasks.getTask(list, taskIdOf(event));
      const evaluation = evaluate(preconditions, task.version, true);
      if (evaluation === 'failed') throw new PreconditionFailedError(task.version);
      const headers = { ETag: etagOf(task.version) };
      return evaluation === 'not-modified' ? notModified(headers) : json(200, task, headers);
    },

    async updateTask(event, principalId, services) {
      const condition = writeConditionOf(preconditionsOf(event));
      const patch = parseTaskPatch(jsonBodyOf(event));
      const list = await listOf(event, principalId, services, 'write');
      const task = await services.tasks.updateTask(list, taskIdOf(event), patch, condition);
      return json(200, task, { ETag: etagOf(task.version) });
    },

    async deleteTask(event, principalId, services) {
      const condition = writeConditionOf(preconditionsOf(event));
      const list = await listOf(event, principalId, services, 'write');
      await services.tasks.deleteTask(list, taskIdOf(event), condition);
      return noContent();
    },

    async moveTask(event, principalId, services) {
      const condition = writeConditionOf(preconditionsOf(event));
      // A move says where to: `{}` moves the task first, but no body at all is a mistake, not a request.
      const {
        listId: toId,
        previousId,
        parentId,
      } = parseMoveTask(event.body ? jsonBodyOf(event) : undefined);
      // A move into another list writes both: the caller needs write on each.
      const list = await listOf(event, principalId, services, 'write');
      const to = toId === undefined ? undefined : await services.lists.listFor(principalId, toId, 'write');
      const task = await services.tasks.moveTask(
        list,
        taskIdOf(event),
        { previousId, parentId, ...(to && { to }) },
        condition,
      );
      return json(200, task, { ETag: etagOf(task.version) });
    },

    async listLists(event, principalId, { lists }) {
      const { limit, cursor, updatedSince } = parseListQuery(
        pick<string | string[] | undefined>(
          event.multiValueQueryStringParameters ?? event.queryStringParameters ?? {},
          ['limit', 'cursor', 'updatedSince'],
        ),
      );
      requestUrlOf(event);
      const page = await lists.listLists(principalId, {
        limit,
        ...(cursor !== undefined && { cursor }),
        ...(updatedSince !== undefined && { updatedSince }),
      });
      return json(200, page.items, nextLink(event, page.nextCursor));
    },

    async createList(event, principalId, { lists }) {
      const input = parseListInput(jsonBodyOf(event));
      const collection = requestUrlOf(event).href.replace(/\/$/, '');
      const list = await lists.createList(principalId, input);
      return json(201, list, { Location: `${collection}/${list.listId}`, ETag: etagOf(list.version) });
    },

    async getList(event, principalId, { lists }) {
      const preconditions = preconditionsOf(event);
      const list = await lists.getList(principalId, listIdOf(event));
      const evaluation = evaluate(preconditions, list.version, true);
      if (evaluation === 'failed') throw new PreconditionFailedError(list.version);
      const headers = { ETag: etagOf(list.version) };
      return evaluation === 'not-modified' ? notModified(headers) : json(200, list, headers);
    },

    async updateList(event, principalId, { lists }) {
      const condition = writeConditionOf(preconditionsOf(event));
      const input = parseListInput(jsonBodyOf(event));
      const list = await lists.renameList(principalId, listIdOf(event), input, condition);
      return json(200, list, { ETag: etagOf(list.version) });
    },

    async deleteList(event, principalId, { lists }) {
      await lists.deleteList(principalId, listIdOf(event), writeConditionOf(preconditionsOf(event)));
      return noContent();
    },

    async listMembers(event, principalId, { lists }) {
      const { limit, cursor } = parseListQuery(
        pick<string | string[] | undefined>(
          event.multiValueQueryStringParameters ?? event.queryStringParameters ?? {},
          ['limit', 'cursor'],
        ),
      );
      requestUrlOf(event);
      const page = await lists.listMembers(principalId, listIdOf(event), {
        limit,
        ...(cursor !== undefined && { cursor }),
      });
      return json(200, page.items, nextLink(event, page.nextCursor));
    },

    async setMember(event, principalId, { lists }) {
      const input = parseMemberInput(jsonBodyOf(event));
      const { member, added } = await lists.setMember(principalId, listIdOf(event), memberIdOf(event), input);
      return json(added ? 201 : 200, member);
    },

    async removeMember(event, principalId, { lists }) {
      await lists.removeMember(principalId, listIdOf(event), memberIdOf(event));
      return noContent();
    },

    getOpenApi: async (event) => text(200, openApiJsonFor(stagePathOf(event)), 'application/json'),

    async getDocs(event) {
      const stagePath = stagePathOf(event);
      return text(200, docsPageHtml(stagePath), 'text/html; charset=utf-8', {
        'Content-Security-Policy': docsPageCsp(stagePath),
      });
    },

    async getDocsAsset(event) {
      const asset = event.pathParameters?.asset ?? '';
      if (!isDocsAsset(asset)) throw unknownAsset();
      return text(200, readDocsAsset(asset), DOCS_ASSETS[asset], { 'Cache-Control': 'public, max-age=3600' });
    },
  };
}

/**
 * The task Lambda: one function for every route, thin by design: find the operation, let it parse and
 * call the service, and map any error in one place.
 */
export function makeHandler<Request = void>({
  servicesFor,
  corsOrigins,
  logger,
  observer = {},
  deadlineMs = REQUEST_DEADLINE_MS,
  now = Date.now,
}: HandlerDeps<Request>) {
  const operations = makeOperations();
  return async (event: APIGatewayProxyEvent, request: Request): Promise<APIGatewayProxyResult> => {
    const deadline = deadlineIn(deadlineMs);
    const requestId = event.requestContext.requestId;
    const common = { ...corsHeaders(corsOrigins, headerOf(event, 'origin')), 'X-Request-Id': requestId };
    try {
      const route = ROUTES.find((r) => r.method === event.httpMethod && r.resource === event.resource);
      if (!route) throw unknownRoute();
      const principalId = route.public ? '' : principalOf(event, now());
      observer.onRoute?.(route.operationId, principalId);
      const operation = operations[route.operationId](event, principalId, servicesFor(deadline, request));
      const result = await beforeDeadline(operation, deadline);
      return { ...result, headers: { ...API_RESPONSE_HEADERS, ...result.headers, ...common } };
    } catch (error) {
      observer.onError?.(error);
      if (!isExpectedError(error)) logger.error('Unhandled error', { requestId, error });
      return problem(error, requestId, { ...API_RESPONSE_HEADERS, ...common });
    }
  };
}
