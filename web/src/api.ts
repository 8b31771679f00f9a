import {
  type CreateTask,
  createTaskClient,
  isTombstone,
  type ListTasksQuery,
  nextPageQuery,
  type Task,
  type TaskPatch,
} from '../../src/client/index.js';

export type { CreateTask, ListTasksQuery, Task, TaskPatch };

/** An answer the app shows: the API's `message` (problem documents and API Gateway's own errors carry one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function errorOf(response: Response, body: unknown): ApiError {
  const fields = (body ?? {}) as { message?: unknown; Message?: unknown };
  const text = fields.message ?? fields.Message;
  return new ApiError(
    response.status,
    typeof text === 'string' && text ? text : `${response.status} ${response.statusText}`,
  );
}

/** The ETag the API gives a version (src/api/preconditions.ts `etagOf`), for tasks read from a list. */
const etagOfVersion = (version: number): string => `"${version}"`;

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

const versioned = (task: Task, response: Response): Versioned => ({
  task,
  etag: response.headers.get('ETag') ?? etagOfVersion(task.version),
});

/** The calls the app makes, through the typed client; every non-2xx answer becomes an ApiError. */
export function makeApi(baseUrl: string, token: string) {
  const client = createTaskClient({ baseUrl, token });
  return {
    async list(query: ListTasksQuery): Promise<Page> {
      const { data, error, response } = await client.GET('/tasks', { params: { query } });
      if (data === undefined) throw errorOf(response, error);
      const next = nextPageQuery(response);
      // Tombstones come only from the change feed (`updatedSince`), which the board never asks for.
      const tasks = data.filter((entry): entry is Task => !isTombstone(entry));
      const items = tasks.map((task) => ({ task, etag: etagOfVersion(task.version) }));
      return next ? { items, next } : { items };
    },
    async get(taskId: string): Promise<Versioned> {
      const { data, error, response } = await client.GET('/tasks/{taskId}', {
        params: { path: { taskId } },
      });
      if (data === undefined) throw errorOf(response, error);
      return versioned(data, response);
    },
    /** The same key for a retried or repeated submit makes the API answer with the first task again. */
    async create(body: CreateTask, idempotencyKey: string): Promise<Versioned> {
      const { data, error, response } = await client.POST('/tasks', {
        body,
        params: { header: { 'Idempotency-Key': idempotencyKey } },
      });
      if (data === undefined) throw errorOf(response, error);
      return versioned(data, response);
    },
    /** Sends If-Match: a 412 means someone changed the task since `etag` was read. */
    async update(taskId: string, patch: TaskPatch, etag: string): Promise<Versioned> {
      const { data, error, response } = await client.PATCH('/tasks/{taskId}', {
        params: { path: { taskId }, header: { 'If-Match': etag } },
        body: patch,
      });
      if (data === undefined) throw errorOf(response, error);
      return versioned(data, response);
    },
    async remove(taskId: string, etag: string): Promise<void> {
      const { error, response } = await client.DELETE('/tasks/{taskId}', {
        params: { path: { taskId }, header: { 'If-Match': etag } },
      });
      if (!response.ok) throw errorOf(response, error);
    },
  };
}

export type Api = ReturnType<typeof makeApi>;
