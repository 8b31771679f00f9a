/**
 * A typed client for the Task API: the types are generated from openapi/openapi.json (`npm run openapi`)
 * and the calls go through openapi-fetch, so a path, parameter or field the document lacks fails to
 * compile.
 *
 *   const api = createTaskClient({ baseUrl: 'http://127.0.0.1:3000/dev', token });
 *   const { data } = await api.POST('/tasks', { body: { title: 'Write report', tags: ['work'] } });
 *   for await (const task of listAllTasks(api, { status: 'PENDING' })) console.log(task.title);
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type Task = components['schemas']['Task'];
export type CreateTask = components['schemas']['CreateTask'];
export type TaskPatch = components['schemas']['TaskPatch'];
export type Problem = components['schemas']['Problem'];
export type ListTasksQuery = NonNullable<paths['/tasks']['get']['parameters']['query']>;
export type TaskClient = Client<paths>;

export interface TaskClientOptions extends Omit<ClientOptions, 'baseUrl' | 'headers'> {
  /** The stage URL, e.g. `http://127.0.0.1:3000/dev`. */
  readonly baseUrl: string;
  /** Sent raw in `Authorization`, as the authorizer expects. */
  readonly token: string;
}

export function createTaskClient({ baseUrl, token, ...options }: TaskClientOptions): TaskClient {
  return createClient<paths>({ ...options, baseUrl, headers: { Authorization: token } });
}

/** A non-2xx answer, with the status and the error body (a problem document or API Gateway's own). */
export class TaskApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const message = (body as { message?: unknown; Message?: unknown } | undefined) ?? {};
    super(`Task API answered ${status}: ${String(message.message ?? message.Message ?? '')}`);
    this.name = 'TaskApiError';
  }
}

/** The query of the RFC 8288 `rel="next"` target, if the response links onward. */
export function nextPageQuery(response: Response): ListTasksQuery | undefined {
  const target = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  return target ? (Object.fromEntries(new URL(target).searchParams) as ListTasksQuery) : undefined;
}

/** Every task the query selects, page after page, following the `Link: rel="next"` header. */
export async function* listAllTasks(client: TaskClient, query: ListTasksQuery = {}): AsyncGenerator<Task> {
  let next: ListTasksQuery | undefined = query;
  while (next) {
    const { data, error, response } = await client.GET('/tasks', { params: { query: next } });
    if (error !== undefined || data === undefined) throw new TaskApiError(response.status, error);
    yield* data;
    next = nextPageQuery(response);
  }
}
