import {
  type CreateTask,
  createTaskClient,
  etagOf,
  isTombstone,
  type ListTasksQuery,
  nextPageQuery,
  type Problem,
  type Task,
  TaskApiError,
  type TaskChangeEntry,
  type TaskClient,
  type TaskPatch,
} from '../../src/client/index.js';
import type { components, paths } from '../../src/client/schema.js';
import { LIST_LIMITS } from '../../src/domain/list-query.js';

export type TaskList = components['schemas']['TaskList'];
type MoveTask = components['schemas']['MoveTask'];
type ListListsQuery = NonNullable<paths['/lists']['get']['parameters']['query']>;

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

/** A list as the side panel shows it, with the ETag a rename or delete sends. */
export interface VersionedList {
  readonly list: TaskList;
  readonly etag: string;
}

/** Where a move puts a task: after `previousId` (first when null), under `parentId` (top level when null). */
export type MoveTarget = Required<Pick<MoveTask, 'previousId' | 'parentId'>>;

/** The calls the app makes, through the typed client; every non-2xx answer becomes a TaskApiError. */
export function makeApi(baseUrl: string, token: string) {
  const client = createTaskClient({ baseUrl, token });
  return { lists: listsApiOf(client), inList: (listId: string) => tasksApiOf(client, listId) };
}

export type AppApi = ReturnType<typeof makeApi>;
export type ListsApi = AppApi['lists'];

function listsApiOf(client: TaskClient) {
  const versioned = (list: TaskList, response: Response): VersionedList => ({
    list,
    etag: response.headers.get('ETag') ?? etagOf(list.version),
  });
  return {
    /** Every list, page after page: the default list first. */
    async all(): Promise<VersionedList[]> {
      const lists: VersionedList[] = [];
      let query: ListListsQuery | undefined = { limit: LIST_LIMITS.maxLimit };
      while (query) {
        const { data, error, response } = await client.GET('/lists', { params: { query } });
        if (data === undefined) throw new TaskApiError(response.status, error);
        lists.push(...data.map((list) => ({ list, etag: etagOf(list.version) })));
        query = nextPageQuery(response) as ListListsQuery | undefined;
      }
      return lists;
    },
    async create(title: string): Promise<VersionedList> {
      const { data, error, response } = await client.POST('/lists', { body: { title } });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return versioned(data, response);
    },
    async rename(listId: string, title: string, etag: string): Promise<VersionedList> {
      const { data, error, response } = await client.PATCH('/lists/{listId}', {
        params: { path: { listId }, header: { 'If-Match': etag } },
        body: { title },
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return versioned(data, response);
    },
    async remove(listId: string, etag: string): Promise<void> {
      const { error, response } = await client.DELETE('/lists/{listId}', {
        params: { path: { listId }, header: { 'If-Match': etag } },
      });
      if (!response.ok) throw new TaskApiError(response.status, error);
    },
  };
}

/** The task calls on one list (`@default` for the default list). */
function tasksApiOf(client: TaskClient, listId: string) {
  const inList = { listId };
  return {
    listId,
    async list(query: ListTasksQuery): Promise<Page> {
      const { data, error, response } = await client.GET('/lists/{listId}/tasks', {
        params: { path: inList, query },
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      const next = nextPageQuery(response);
      // Tombstones come only from the change feed (`updatedSince`), which a listing never asks for.
      const items = data.filter((entry): entry is Task => !isTombstone(entry)).map(versionedOf);
      return next ? { items, next } : { items };
    },
    /** Every change in this list since `since`, all pages of it: what the board applies to stay live. */
    async changes(since: string): Promise<TaskChangeEntry[]> {
      const entries: TaskChangeEntry[] = [];
      let query: ListTasksQuery | undefined = { updatedSince: since, limit: LIST_LIMITS.maxLimit };
      while (query) {
        const { data, error, response } = await client.GET('/lists/{listId}/tasks', {
          params: { path: inList, query },
        });
        if (data === undefined) throw new TaskApiError(response.status, error);
        entries.push(...data);
        query = nextPageQuery(response);
      }
      return entries;
    },
    async get(taskId: string): Promise<Versioned> {
      const { data, error, response } = await client.GET('/lists/{listId}/tasks/{taskId}', {
        params: { path: { ...inList, taskId } },
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
    /** The same key for a retried or repeated submit makes the API answer with the first task again. */
    async create(body: CreateTask, idempotencyKey: string): Promise<Versioned> {
      const { data, error, response } = await client.POST('/lists/{listId}/tasks', {
        body,
        params: { path: inList, header: { 'Idempotency-Key': idempotencyKey } },
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
    /** Sends If-Match: a 412 means someone changed the task since `etag` was read. */
    async update(taskId: string, patch: TaskPatch, etag: string): Promise<Versioned> {
      const { data, error, response } = await client.PATCH('/lists/{listId}/tasks/{taskId}', {
        params: { path: { ...inList, taskId }, header: { 'If-Match': etag } },
        body: patch,
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
    /** Deletes the task and its subtasks. */
    async remove(taskId: string, etag: string): Promise<void> {
      const { error, response } = await client.DELETE('/lists/{listId}/tasks/{taskId}', {
        params: { path: { ...inList, taskId }, header: { 'If-Match': etag } },
      });
      if (!response.ok) throw new TaskApiError(response.status, error);
    },
    /** Places the task in the manual order; the answer carries its new `position`. */
    async move(taskId: string, target: MoveTarget): Promise<Versioned> {
      const { data, error, response } = await client.POST('/lists/{listId}/tasks/{taskId}/move', {
        params: { path: { ...inList, taskId } },
        body: target,
      });
      if (data === undefined) throw new TaskApiError(response.status, error);
      return answered(data, response);
    },
  };
}

/** The task calls on the list shown. */
export type Api = ReturnType<typeof tasksApiOf>;

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
