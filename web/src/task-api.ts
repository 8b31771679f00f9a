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

/**
 * A 429: the caller is over its request rate (or the store is throttling), with the wait the API asked for
 * in `Retry-After` (whole seconds), when the browser may read it.
 */
export class TooManyRequestsError extends TaskApiError {
  constructor(
    body: unknown,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(429, body);
    this.name = 'TooManyRequestsError';
  }
}

/** The longest wait the app sits out on its own before retrying once; a longer one is shown instead. */
export const AUTO_RETRY_MAX_SECONDS = 10;

/** The error of a non-2xx answer, with the wait of a 429. */
function failure(response: Response, body: unknown): TaskApiError {
  if (response.status !== 429) return new TaskApiError(response.status, body);
  const seconds = Number(response.headers.get('Retry-After') ?? '');
  return new TooManyRequestsError(body, Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined);
}

const pause = (seconds: number) => new Promise<void>((done) => setTimeout(done, seconds * 1000));

/**
 * Runs `call`, and once more after a 429's `Retry-After` when that wait is short; every call of the app may
 * be repeated (reads, creates with their Idempotency-Key, writes with their If-Match).
 */
export async function retryingOnce<T>(call: () => Promise<T>, wait = pause): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const seconds = error instanceof TooManyRequestsError ? error.retryAfterSeconds : undefined;
    if (seconds === undefined || seconds > AUTO_RETRY_MAX_SECONDS) throw error;
    await wait(seconds);
    return call();
  }
}

const answered = (task: Task, response: Response): Versioned => ({
  task,
  etag: response.headers.get('ETag') ?? etagOf(task.version),
});

/** The calls the app makes, through the typed client; every non-2xx answer becomes a TaskApiError. */
export function makeApi(baseUrl: string, token: string) {
  const client = createTaskClient({ baseUrl, token });
  const calls = {
    async list(query: ListTasksQuery): Promise<Page> {
      const { data, error, response } = await client.GET('/tasks', { params: { query } });
      if (data === undefined) throw failure(response, error);
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
      if (data === undefined) throw failure(response, error);
      return answered(data, response);
    },
    /** The same key for a retried or repeated submit makes the API answer with the first task again. */
    async create(body: CreateTask, idempotencyKey: string): Promise<Versioned> {
      const { data, error, response } = await client.POST('/tasks', {
        body,
        params: { header: { 'Idempotency-Key': idempotencyKey } },
      });
      if (data === undefined) throw failure(response, error);
      return answered(data, response);
    },
    /** Sends If-Match: a 412 means someone changed the task since `etag` was read. */
    async update(taskId: string, patch: TaskPatch, etag: string): Promise<Versioned> {
      const { data, error, response } = await client.PATCH('/tasks/{taskId}', {
        params: { path: { taskId }, header: { 'If-Match': etag } },
        body: patch,
      });
      if (data === undefined) throw failure(response, error);
      return answered(data, response);
    },
    async remove(taskId: string, etag: string): Promise<void> {
      const { error, response } = await client.DELETE('/tasks/{taskId}', {
        params: { path: { taskId }, header: { 'If-Match': etag } },
      });
      if (!response.ok) throw failure(response, error);
    },
  };
  return {
    list: (query: ListTasksQuery) => retryingOnce(() => calls.list(query)),
    changes: calls.changes, // the live board polls again anyway, backing off on failures
    get: (taskId: string) => retryingOnce(() => calls.get(taskId)),
    create: (body: CreateTask, key: string) => retryingOnce(() => calls.create(body, key)),
    update: (taskId: string, patch: TaskPatch, etag: string) =>
      retryingOnce(() => calls.update(taskId, patch, etag)),
    remove: (taskId: string, etag: string) => retryingOnce(() => calls.remove(taskId, etag)),
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
  if (error.status === 429) return tooManyRequestsMessage(error);
  return typeof text === 'string' && text ? text : `The task service answered ${error.status}.`;
}

/** A 429 in a person's words, with how long to wait when the API said. */
function tooManyRequestsMessage(error: TaskApiError): string {
  const seconds = error instanceof TooManyRequestsError ? error.retryAfterSeconds : undefined;
  const wait =
    seconds === undefined || seconds < 1
      ? 'a moment'
      : seconds >= 60
        ? `about ${Math.round(seconds / 60)} minute${seconds >= 90 ? 's' : ''}`
        : `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `Too many requests in a short time: the task service asks you to wait ${wait}, then try again.`;
}
