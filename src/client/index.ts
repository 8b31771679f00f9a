/**
 * A typed client for the Task API: the types are generated from openapi/openapi.json (`npm run openapi`)
 * and the calls go through openapi-fetch, so a path, parameter or field the document lacks fails to
 * compile.
 *
 *   const api = createTaskClient({ baseUrl: 'http://127.0.0.1:3000/dev', token });
 *   const { data } = await api.POST('/tasks', { body: { title: 'Write report', tags: ['work'] } });
 *   for await (const task of listAllTasks(api, { status: 'PENDING' })) console.log(task.title);
 *   for await (const change of changesSince(api, lastSync)) mirror.apply(change); // see changesSince
 *   for await (const task of listAllTasks(api, { sort: 'position' }, { listId })) …          // another list
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type Task = components['schemas']['Task'];
/** A task deleted at `updatedAt`, as the change feed reports it. */
export type Tombstone = components['schemas']['Tombstone'];
export type TaskChangeEntry = Task | Tombstone;
export type CreateTask = components['schemas']['CreateTask'];
export type TaskPatch = components['schemas']['TaskPatch'];
export type TaskList = components['schemas']['TaskList'];
export type MoveTask = components['schemas']['MoveTask'];
export type Problem = components['schemas']['Problem'];
export type ListTasksQuery = NonNullable<paths['/tasks']['get']['parameters']['query']>;
export type TaskClient = Client<paths>;

/** The ETag the API gives a task's version: a list's items carry none, and a write's `If-Match` needs it. */
export { etagOf } from '../api/preconditions.js';

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

/** Which list to read: a list's id, or `@default` (the default, and `/tasks`). */
export interface InList {
  readonly listId?: string;
}

/** Each page's items, following the `Link: rel="next"` header until the last page. */
async function* pagesOf(
  client: TaskClient,
  query: ListTasksQuery,
  { listId }: InList = {},
): AsyncGenerator<TaskChangeEntry[]> {
  let next: ListTasksQuery | undefined = query;
  while (next) {
    const { data, error, response } =
      listId === undefined
        ? await client.GET('/tasks', { params: { query: next } })
        : await client.GET('/lists/{listId}/tasks', { params: { path: { listId }, query: next } });
    if (error !== undefined || data === undefined) throw new TaskApiError(response.status, error);
    yield data;
    next = nextPageQuery(response);
  }
}

/** Every task the query selects, page after page, following the `Link: rel="next"` header. */
export async function* listAllTasks(
  client: TaskClient,
  query: ListTasksQuery = {},
  inList: InList = {},
): AsyncGenerator<Task> {
  for await (const page of pagesOf(client, query, inList)) yield* page as Task[];
}

export const isTombstone = (change: TaskChangeEntry): change is Tombstone => 'deleted' in change;

/**
 * The change feed: every task changed at or after `updatedSince` (an RFC 3339 instant), oldest change
 * first, and a `Tombstone` for each task deleted since, page after page. To sync, apply each change to a
 * local mirror (a tombstone removes the task) and keep the greatest `updatedAt` seen: passed back next
 * time, it misses nothing. A 410 (`TaskApiError` with `status` 410) asks for a full resync.
 */
export async function* changesSince(
  client: TaskClient,
  updatedSince: string,
  { limit, listId }: { readonly limit?: number } & InList = {},
): AsyncGenerator<TaskChangeEntry> {
  const query: ListTasksQuery = { updatedSince, ...(limit !== undefined && { limit }) };
  for await (const page of pagesOf(client, query, listId === undefined ? {} : { listId })) yield* page;
}
