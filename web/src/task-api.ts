// Long on purpose (~330 lines): every call the app makes, its 429 retry and its errors in a person's words; split, the calls and how their failures read would live apart.
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
import { DEFAULT_LIST_ID } from '../../src/domain/default-list.js';
import { LIST_LIMITS } from '../../src/domain/list-query.js';

export type TaskList = components['schemas']['TaskList'];
export type ListMember = components['schemas']['ListMember'];
/** A role the owner can give: `editor` or `viewer` (a list has one owner, its creator). */
export type MemberRole = components['schemas']['MemberInput']['role'];
export type ListRole = TaskList['role'];
type MoveTask = components['schemas']['MoveTask'];
type ListListsQuery = NonNullable<paths['/lists']['get']['parameters']['query']>;
type ListMembersQuery = NonNullable<paths['/lists/{listId}/members']['get']['parameters']['query']>;

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
function failureOf(response: Response, body: unknown): TaskApiError {
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

/**
 * The calls with a 429 retried once after a short `Retry-After` (`retryingOnce`); the names in `except`
 * (the live board's polling, which backs off on its own) are left as they are.
 */
function retrying<T extends Record<string, unknown>>(calls: T, except: readonly string[] = []): T {
  return Object.fromEntries(
    Object.entries(calls).map(([name, value]) => [
      name,
      typeof value === 'function' && !except.includes(name)
        ? (...args: unknown[]) => retryingOnce(() => value(...args))
        : value,
    ]),
  ) as T;
}

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
  return {
    lists: listsApiOf(client),
    members: membersApiOf(client),
    inList: (listId: string, onRefused?: () => void) => tasksApiOf(client, listId, onRefused),
  };
}

export type AppApi = ReturnType<typeof makeApi>;
export type ListsApi = AppApi['lists'];
export type MembersApi = AppApi['members'];

function listsApiOf(client: TaskClient) {
  const versioned = (list: TaskList, response: Response): VersionedList => ({
    list,
    etag: response.headers.get('ETag') ?? etagOf(list.version),
  });
  return retrying({
    /** Every list, page after page: the default list first. */
    async all(): Promise<VersionedList[]> {
      const lists: VersionedList[] = [];
      let query: ListListsQuery | undefined = { limit: LIST_LIMITS.maxLimit };
      while (query) {
        const { data, error, response } = await client.GET('/lists', { params: { query } });
        if (data === undefined) throw failureOf(response, error);
        // Tombstones come only from the lists feed (`updatedSince`), which this listing never asks for.
        const shown = data.filter((entry): entry is TaskList => !('deleted' in entry));
        lists.push(...shown.map((list) => ({ list, etag: etagOf(list.version) })));
        query = nextPageQuery(response) as ListListsQuery | undefined;
      }
      return lists;
    },
    async create(title: string): Promise<VersionedList> {
      const { data, error, response } = await client.POST('/lists', { body: { title } });
      if (data === undefined) throw failureOf(response, error);
      return versioned(data, response);
    },
    async rename(listId: string, title: string, etag: string): Promise<VersionedList> {
      const { data, error, response } = await client.PATCH('/lists/{listId}', {
        params: { path: { listId }, header: { 'If-Match': etag } },
        body: { title },
      });
      if (data === undefined) throw failureOf(response, error);
      return versioned(data, response);
    },
    async remove(listId: string, etag: string): Promise<void> {
      const { error, response } = await client.DELETE('/lists/{listId}', {
        params: { path: { listId }, header: { 'If-Match': etag } },
      });
      if (!response.ok) throw failureOf(response, error);
    },
  });
}

/** Who may see a list, and the owner's changes to that; `principalId` is what the authorizer names a caller. */
function membersApiOf(client: TaskClient) {
  const path = (listId: string, principalId: string) => ({ path: { listId, principalId } });
  /** Every member of a list, page after page, the owner included. */
  const all = async (listId: string): Promise<ListMember[]> => {
    const members: ListMember[] = [];
    let query: ListMembersQuery | undefined = { limit: LIST_LIMITS.maxLimit };
    while (query) {
      const { data, error, response } = await client.GET('/lists/{listId}/members', {
        params: { path: { listId }, query },
      });
      if (data === undefined) throw failureOf(response, error);
      members.push(...data);
      query = nextPageQuery(response) as ListMembersQuery | undefined;
    }
    return members;
  };
  return retrying({
    all,
    /**
     * The caller's own principal id. The API has no "who am I", but the default list's one member is its
     * owner, the caller: a token's name in token mode, the JWT's `sub` in jwt mode.
     */
    async me(): Promise<string> {
      const [owner] = await all(DEFAULT_LIST_ID);
      if (!owner) throw new TaskApiError(404, { message: 'The default list named no owner.' });
      return owner.principalId;
    },
    /** Adds a member, or changes its role: only the owner may. */
    async set(listId: string, principalId: string, role: MemberRole): Promise<ListMember> {
      const { data, error, response } = await client.PUT('/lists/{listId}/members/{principalId}', {
        params: path(listId, principalId),
        body: { role },
      });
      if (data === undefined) throw failureOf(response, error);
      return data;
    },
    /** The owner removes a member; a member removes itself, which is leaving the list. */
    async remove(listId: string, principalId: string): Promise<void> {
      const { error, response } = await client.DELETE('/lists/{listId}/members/{principalId}', {
        params: path(listId, principalId),
      });
      if (!response.ok) throw failureOf(response, error);
    },
  });
}

/**
 * The task calls on one list (`@default` for the default list). `onRefused` hears of a 403: the caller's
 * role in the list no longer allows the call (its owner changed it).
 */
function tasksApiOf(client: TaskClient, listId: string, onRefused?: () => void) {
  const inList = { listId };
  const failure = (response: Response, body: unknown) => {
    if (response.status === 403) onRefused?.();
    return failureOf(response, body);
  };
  return retrying(
    {
      listId,
      async list(query: ListTasksQuery): Promise<Page> {
        const { data, error, response } = await client.GET('/lists/{listId}/tasks', {
          params: { path: inList, query },
        });
        if (data === undefined) throw failure(response, error);
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
          if (data === undefined) throw failure(response, error);
          entries.push(...data);
          query = nextPageQuery(response);
        }
        return entries;
      },
      async get(taskId: string): Promise<Versioned> {
        const { data, error, response } = await client.GET('/lists/{listId}/tasks/{taskId}', {
          params: { path: { ...inList, taskId } },
        });
        if (data === undefined) throw failure(response, error);
        return answered(data, response);
      },
      /** The same key for a retried or repeated submit makes the API answer with the first task again. */
      async create(body: CreateTask, idempotencyKey: string): Promise<Versioned> {
        const { data, error, response } = await client.POST('/lists/{listId}/tasks', {
          body,
          params: { path: inList, header: { 'Idempotency-Key': idempotencyKey } },
        });
        if (data === undefined) throw failure(response, error);
        return answered(data, response);
      },
      /** Sends If-Match: a 412 means someone changed the task since `etag` was read. */
      async update(taskId: string, patch: TaskPatch, etag: string): Promise<Versioned> {
        const { data, error, response } = await client.PATCH('/lists/{listId}/tasks/{taskId}', {
          params: { path: { ...inList, taskId }, header: { 'If-Match': etag } },
          body: patch,
        });
        if (data === undefined) throw failure(response, error);
        return answered(data, response);
      },
      /** Deletes the task and its subtasks. */
      async remove(taskId: string, etag: string): Promise<void> {
        const { error, response } = await client.DELETE('/lists/{listId}/tasks/{taskId}', {
          params: { path: { ...inList, taskId }, header: { 'If-Match': etag } },
        });
        if (!response.ok) throw failure(response, error);
      },
      /** Places the task in the manual order; the answer carries its new `position`. */
      async move(taskId: string, target: MoveTarget): Promise<Versioned> {
        const { data, error, response } = await client.POST('/lists/{listId}/tasks/{taskId}/move', {
          params: { path: { ...inList, taskId } },
          body: target,
        });
        if (data === undefined) throw failure(response, error);
        return answered(data, response);
      },
    },
    ['changes'], // the live board polls again anyway, backing off on failures
  );
}

/** The task calls on the list shown. */
export type Api = ReturnType<typeof tasksApiOf>;

export const hasStatus = (error: unknown, status: number): boolean =>
  error instanceof TaskApiError && error.status === status;

/** A stored amount at its cap (a 409 `limit-reached`): trying again cannot help until something is removed. */
export const isLimitReached = (error: unknown): boolean =>
  error instanceof TaskApiError &&
  (error.body as { type?: unknown } | undefined)?.type === 'urn:task-service:problem:limit-reached';

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
