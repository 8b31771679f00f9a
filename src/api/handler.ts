import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { parseListQuery } from '../domain/list-query.js';
import type { TaskService } from '../domain/task-service.js';
import { parseCreateTask, parseTaskPatch } from '../domain/validate.js';
import { corsHeaders } from './cors.js';
import { DOCS_ASSETS, docsPageHtml, isDocsAsset, readDocsAsset } from './docs-page.js';
import { unknownAsset, unknownRoute } from './http-errors.js';
import { buildOpenApiDocument } from './openapi.js';
import { headerOf, jsonBodyOf, principalOf, requestUrlOf } from './request.js';
import { isExpectedError, json, noContent, problem, text } from './respond.js';
import { type OperationId, ROUTES } from './routes.js';

export interface HandlerLogger {
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface HandlerDeps {
  readonly service: TaskService;
  readonly corsOrigins: readonly string[];
  readonly logger: HandlerLogger;
}

type Operation = (event: APIGatewayProxyEvent, ownerId: string) => Promise<APIGatewayProxyResult>;

function taskIdOf(event: APIGatewayProxyEvent): string {
  return event.pathParameters?.taskId ?? '';
}

let openApi: string | undefined;
/** Built on first use, then kept: the same bytes as `openapi/openapi.json` (a test checks). */
const openApiJson = () => {
  openApi ??= JSON.stringify(buildOpenApiDocument());
  return openApi;
};

/** The stage part of the public path (`/dev`), whatever resource was called. */
function stagePathOf(event: APIGatewayProxyEvent): string {
  const full = event.requestContext.path ?? '';
  return full.endsWith(event.path)
    ? full.slice(0, full.length - event.path.length)
    : `/${event.requestContext.stage}`;
}

function makeOperations(service: TaskService): Record<OperationId, Operation> {
  return {
    async createTask(event, ownerId) {
      const task = await service.createTask(ownerId, parseCreateTask(jsonBodyOf(event)));
      const location = `${requestUrlOf(event).href.replace(/\/$/, '')}/${task.taskId}`;
      return json(201, task, { Location: location });
    },

    async listTasks(event, ownerId) {
      const query = event.queryStringParameters ?? {};
      const page = await service.listTasks(ownerId, parseListQuery(query));
      const headers: Record<string, string> = {};
      if (page.nextCursor) {
        const next = requestUrlOf(event);
        for (const [name, value] of Object.entries(query))
          if (value !== undefined) next.searchParams.set(name, value);
        next.searchParams.set('cursor', page.nextCursor);
        headers.Link = `<${next.href}>; rel="next"`;
      }
      return json(200, page.items, headers);
    },

    getTask: async (event, ownerId) => json(200, await service.getTask(ownerId, taskIdOf(event))),

    updateTask: async (event, ownerId) =>
      json(200, await service.updateTask(ownerId, taskIdOf(event), parseTaskPatch(jsonBodyOf(event)))),

    async deleteTask(event, ownerId) {
      await service.deleteTask(ownerId, taskIdOf(event));
      return noContent();
    },

    getOpenApi: async () => ({ ...json(200, {}), body: openApiJson() }),

    getDocs: async (event) => text(200, docsPageHtml(stagePathOf(event)), 'text/html; charset=utf-8'),

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
export function makeHandler({ service, corsOrigins, logger }: HandlerDeps) {
  const operations = makeOperations(service);
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const requestId = event.requestContext.requestId;
    const common = { ...corsHeaders(corsOrigins, headerOf(event, 'origin')), 'X-Request-Id': requestId };
    try {
      const route = ROUTES.find((r) => r.method === event.httpMethod && r.resource === event.resource);
      if (!route) throw unknownRoute();
      const ownerId = route.public ? '' : principalOf(event);
      const result = await operations[route.operationId](event, ownerId);
      return { ...result, headers: { ...result.headers, ...common } };
    } catch (error) {
      if (!isExpectedError(error)) logger.error('Unhandled error', { requestId, error });
      return problem(error, requestId, common);
    }
  };
}
