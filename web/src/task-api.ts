import {
  type CreateTask,
  changesSince,
  createTaskClient,
  etagOf,
  isTombstone,
  type ListTasksQuery,
  nextPageQuery,
  type Problem,
  type Task,
  TaskApiError,
  type TaskChangeEntry,
  type TaskPatch,
} from '../../src/client/index.js';
import { LIST_LIMITS } from '../../src/domain/list-query.js';

export type { CreateTask, ListTasksQuery, Task, TaskChangeEntry, TaskPatch };
export { isTombstone };

export interface Page {
  readonly items: Versioned[];
  /** The `Link: rel="next"` query, when more tasks remain. */
  readonly next?: ListTasksQuery;
}

/** A task with the ETag its last response carried, so the next write can say which version it changes. */
export interface Versioned {
  readonly task: Task;
  readonly etag: string;
}

export const versionedOf = (task: Task): Versioned => ({ task, etag: etagOf(task.version) });

const answered = (task: Task, response: Response): Versioned => ({
  task,
  etag: response.headers.get('ETag') ?? etagOf(task.version),
});

/** The calls the app makes, through the typed client; every non-2xx answer becomes a TaskApiError. */
export function makeApi(baseUrl: string, token: string) {
  const client = createTaskClient({ baseUrl, token });
  return {
    async list(query: ListTasksQuery): Promise<Page> {
      const { data, error, response } = await client.GET('/tasks', { params: { query } });
      if (data === undefined) throw new TaskApiError(response.status, error);
      const next = nextPageQuery(response);
      // Tombstones come only from the change feed (`updatedSince`), which a listing never asks for.
      const items = data.filter((entry): entry is Task => !isTombstone(entry)).map(versionedOf);
      return next ? { items, next } : { items };
    },
    /** Every change since `since`, all pages of it (as few as can be): what the board applies to stay live. */
    async changes(since: string): Promise<TaskChangeEntry[]> {
      const entries: TaskChangeEntry[] = [];
      for await (const entry of changesSince(client, since, { limit: LIST_LIMITS.maxLimit }))
        entries.push(entry);
      return entries;
    },
    async get(taskId: string): Promise<Versioned> {
      const { data, error, response } = await client.GET('/tasks/{taskId}', {
        params: { path: { taskId } },
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
    /** The same key for a retried or repeated submit makes the API answer with the first task again. */
    async create(body: CreateTask, idempotencyKey: string): Promise<Versioned> {
      const { data, error, response } = await client.POST('/tasks', {
        body,
        params: { header: { 'Idempotency-Key': idempotencyKey } },
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
    /** Sends If-Match: a 412 means someone changed the task since `etag` was read. */
    async update(taskId: string, patch: TaskPatch, etag: string): Promise<Versioned> {
      const { data, error, response } = await client.PATCH('/tasks/{taskId}', {
        params: { path: { taskId }, header: { 'If-Match': etag } },
        body: patch,
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
    async remove(taskId: string, etag: string): Promise<void> {
      const { error, response } = await client.DELETE('/tasks/{taskId}', {
        params: { path: { taskId }, header: { 'If-Match': etag } },
      });
      if (!response.ok) throw new TaskApiError(response.status, error);
    },
  };
}

export type Api = ReturnType<typeof makeApi>;

export const hasStatus = (error: unknown, status: number): boolean =>
  error instanceof TaskApiError && error.status === status;

/** fetch rejects (a TypeError) only when no answer came: offline, DNS, CORS, or the API is down. */
export const isUnreachable = (error: unknown): boolean => !(error instanceof TaskApiError);

/** The field rules a 400 broke: the problem document's `errors`. */
export function problemErrorsOf(error: unknown): readonly { field: string; message: string }[] {
  if (!(error instanceof TaskApiError)) return [];
  return (error.body as Partial<Problem> | undefined)?.errors ?? [];
}

/** What went wrong, in a person's words: the API's own message, or what the lack of an answer means. */
export function messageOf(error: unknown): string {
  if (!(error instanceof TaskApiError)) return 'The task service can’t be reached: check your connection.';
  const body = (error.body ?? {}) as { message?: unknown; Message?: unknown };
  const text = body.message ?? body.Message;
  if (error.status >= 500) return `The task service had a problem (${error.status}). Try again in a moment.`;
  return typeof text === 'string' && text ? text : `The task service answered ${error.status}.`;
}
