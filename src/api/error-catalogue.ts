/**
 * The error catalogue: every error the task service answers, once. `respond.ts` maps errors to HTTP from
 * it, `openapi-responses.ts` builds the documented responses from it, and `npm run openapi` writes the
 * error table of docs/api.md from it. A new error is one class and one row here.
 *
 * Long on purpose (~260 lines): one row per error the API answers; split, the catalogue would no longer be
 * one place.
 */
import { STATUS_CODES } from 'node:http';
import { FEED_LIMITS } from '../domain/change-feed.js';
import {
  DeadlineExceededError,
  DefaultListPrivateError,
  DefaultListUndeletableError,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  InvalidPlacementError,
  LimitReachedError,
  ListForbiddenError,
  ListNotFoundError,
  MemberNotFoundError,
  OwnerMembershipError,
  PreconditionFailedError,
  ResyncRequiredError,
  StoreThrottledError,
  StoreUnavailableError,
  TaskNotFoundError,
  ValidationError,
} from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import {
  CredentialExpiredError,
  InvalidHeaderError,
  InvalidJsonError,
  InvalidUtf8Error,
  MissingPrincipalError,
  NestingTooDeepError,
  NoRouteError,
  PayloadTooLargeError,
  UnknownAssetError,
  UnsupportedMediaTypeError,
} from './http-errors.js';
import { etagOf } from './preconditions.js';
import { MAX_BODY_BYTES } from './request.js';
import { type OperationId, ROUTES } from './routes.js';
import { MAX_JSON_DEPTH } from './safe-json.js';

/** A response header an error carries: a fixed value, or one read from the error. */
export type ErrorHeader<E> = { readonly description: string } & (
  | { readonly value: string; readonly optional?: never }
  /** `optional`: some errors of the row carry no value (`valueOf` answers undefined). */
  | { readonly valueOf: (error: E) => string | undefined; readonly optional?: boolean }
);

export interface ErrorEntry<E extends Error = Error> {
  /** Matched with `instanceof`, first row first, so a subclass shares its parent's row. */
  readonly error: abstract new (
    ...args: never[]
  ) => E;
  readonly status: number;
  /** The problem type: `urn:task-service:problem:<type>`. */
  readonly type: string;
  readonly title: string;
  /** When it happens, for the docs and the OpenAPI document. */
  readonly description: string;
  readonly headers?: Readonly<Record<string, ErrorHeader<E>>>;
  /** The operations that can answer it to a client; empty when API Gateway answers first. */
  readonly operations: readonly OperationId[];
}

/** What an unexpected error becomes: a 500 whose body names only the request id, on any route. */
export type UnexpectedEntry = Omit<ErrorEntry, 'error' | 'headers' | 'operations'>;

const TASK_OPERATIONS: readonly OperationId[] = [
  ...new Set(ROUTES.filter((route) => !route.public).map((route) => route.operationId)),
];
const BODY_OPERATIONS: readonly OperationId[] = [
  'createTask',
  'updateTask',
  'moveTask',
  'createList',
  'updateList',
  'setMember',
];
/** The member routes name a principal: `PUT` and `DELETE` `/lists/{listId}/members/{principalId}`. */
const MEMBER_OPERATIONS: readonly OperationId[] = ['setMember', 'removeMember'];
const BY_ID_OPERATIONS: readonly OperationId[] = ['getTask', 'updateTask', 'deleteTask', 'moveTask'];
const LIST_BY_ID_OPERATIONS: readonly OperationId[] = ['getList', 'updateList', 'deleteList'];
/** Every operation on a list, or on its tasks, names the list (`/tasks` names the caller's default list). */
const LIST_OPERATIONS: readonly OperationId[] = [
  ...new Set(ROUTES.filter((route) => route.resource.includes('{listId}')).map((route) => route.operationId)),
];
/** Every task and list operation reads `If-Match` and `If-None-Match` (RFC 9110 §13). */
const CONDITIONAL_OPERATIONS: readonly OperationId[] = [
  'listTasks',
  'createTask',
  ...BY_ID_OPERATIONS,
  ...LIST_BY_ID_OPERATIONS,
];

const retryAfter = (seconds: number) => ({
  'Retry-After': { description: 'Seconds to wait before retrying', value: String(seconds) },
});

/** Keeps each row's header functions typed by its own error class. */
const row = <E extends Error>(entry: ErrorEntry<E>) => entry as unknown as ErrorEntry;

export const ERROR_CATALOGUE: readonly ErrorEntry[] = Object.freeze([
  row({
    error: InvalidJsonError,
    status: 400,
    type: 'invalid-json',
    title: 'Bad Request',
    description: 'A body that is not JSON (`Invalid JSON`)',
    operations: BODY_OPERATIONS,
  }),
  row({
    error: InvalidUtf8Error,
    status: 400,
    type: 'invalid-utf8',
    title: 'Bad Request',
    description:
      'A JSON body whose bytes are not UTF-8 (`Request body is not valid UTF-8`); nothing is stored',
    operations: BODY_OPERATIONS,
  }),
  row({
    error: NestingTooDeepError,
    status: 400,
    type: 'json-too-deep',
    title: 'Bad Request',
    description: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    operations: BODY_OPERATIONS,
  }),
  row({
    error: InvalidHeaderError,
    status: 400,
    type: 'invalid-header',
    title: 'Bad Request',
    description:
      'A malformed `If-Match`, `If-None-Match` or `Idempotency-Key` header, or a `Host` or `X-Forwarded-Proto` a link cannot be built from',
    operations: CONDITIONAL_OPERATIONS,
  }),
  row({
    error: ValidationError,
    status: 400,
    type: 'validation-failed',
    title: 'Bad Request',
    description:
      "A broken rule: a field (`Field 'title' is required`), a body that is not an object, `No valid fields to update`, `Invalid status`, a bad `limit`, `cursor` (an empty one included) or filter combination, a list parameter given twice",
    operations: ['listTasks', 'listLists', 'listMembers', 'removeMember', ...BODY_OPERATIONS],
  }),
  row({
    error: MissingPrincipalError,
    status: 401,
    type: 'unauthenticated',
    title: 'Unauthorized',
    description: 'No principal on the request (only possible without the authorizer in front)',
    operations: [],
  }),
  row({
    error: CredentialExpiredError,
    status: 401,
    type: 'token-expired',
    title: 'Unauthorized',
    description:
      "A JWT past its `exp` (30 s of clock skew allowed) while API Gateway still caches its authorizer's Allow",
    operations: TASK_OPERATIONS,
  }),
  row({
    error: TaskNotFoundError,
    status: 404,
    type: 'not-found',
    title: 'Not Found',
    description: "`Task not found`, also for another principal's task: its existence is never confirmed",
    operations: BY_ID_OPERATIONS,
  }),
  row({
    error: InvalidPlacementError,
    status: 422,
    type: 'invalid-placement',
    title: 'Unprocessable Content',
    description:
      "A `parentId` that is not a top-level task of the list (`Field 'parentId' must name a task in the same list`), a `previousId` that is not a sibling under it, or a task with subtasks sent under a parent; nothing is stored",
    operations: ['createTask', 'moveTask'],
  }),
  row({
    error: ListNotFoundError,
    status: 404,
    type: 'list-not-found',
    title: 'Not Found',
    description:
      'No such list, or one the caller is not a member of (`List not found`): the same answer, so a list never leaks',
    operations: LIST_OPERATIONS,
  }),
  row({
    error: ListForbiddenError,
    status: 403,
    type: 'list-role',
    title: 'Forbidden',
    description:
      "A member whose role does not allow the request (`Your role in this list is 'viewer': …`): a viewer changing tasks or the title, an editor managing members or deleting the list. A non-member gets 404 instead",
    operations: LIST_OPERATIONS.filter((operation) => operation !== 'getList' && operation !== 'listMembers'),
  }),
  row({
    error: MemberNotFoundError,
    status: 404,
    type: 'member-not-found',
    title: 'Not Found',
    description: 'The owner removes a principal that is not a member of the list',
    operations: ['removeMember'],
  }),
  row({
    error: DefaultListPrivateError,
    status: 409,
    type: 'default-list-private',
    title: 'Conflict',
    description: 'A member route on the default list, `@default`, which is never shared',
    operations: MEMBER_OPERATIONS,
  }),
  row({
    error: OwnerMembershipError,
    status: 409,
    type: 'owner-membership',
    title: 'Conflict',
    description:
      "The owner's own membership: its role cannot be changed, and it cannot leave (it removes the others and deletes the list)",
    operations: MEMBER_OPERATIONS,
  }),
  row({
    error: LimitReachedError,
    status: 409,
    type: 'limit-reached',
    title: 'Conflict',
    description: `A stored amount at its cap; the message names it and the amount, and nothing is stored. Caps: ${LIMITS.tasksPerList.toLocaleString('en-US')} tasks per list, ${LIMITS.subtasksPerTask.toLocaleString('en-US')} subtasks per task, ${LIMITS.membersPerList} members per list, ${LIMITS.listsOwned.toLocaleString('en-US')} lists a principal owns, ${LIMITS.memberships.toLocaleString('en-US')} lists it is a member of`,
    operations: ['createTask', 'moveTask', 'createList', 'setMember'],
  }),
  row({
    error: DefaultListUndeletableError,
    status: 409,
    type: 'default-list',
    title: 'Conflict',
    description: 'A `DELETE` of the default list, `@default`, which every principal keeps',
    operations: ['deleteList'],
  }),
  row({
    error: ResyncRequiredError,
    status: 410,
    type: 'resync-required',
    title: 'Gone',
    description: `An \`updatedSince\` older than the ${FEED_LIMITS.retentionDays}-day retention of deletions: do a full resync`,
    operations: ['listTasks', 'listLists'],
  }),
  row({
    error: UnknownAssetError,
    status: 404,
    type: 'not-found',
    title: 'Not Found',
    description: 'A file the docs page does not have',
    operations: ['getDocsAsset'],
  }),
  row({
    error: NoRouteError,
    status: 404,
    type: 'no-route',
    title: 'Not Found',
    description: 'A route the route table lacks (API Gateway refuses those first)',
    operations: [],
  }),
  row({
    error: IdempotencyInProgressError,
    status: 409,
    type: 'idempotency-in-progress',
    title: 'Conflict',
    description: 'A request with the same `Idempotency-Key` is still running',
    headers: retryAfter(1),
    operations: ['createTask'],
  }),
  row({
    error: PreconditionFailedError,
    status: 412,
    type: 'precondition-failed',
    title: 'Precondition Failed',
    description:
      '`If-Match` names none of the current version, or `If-None-Match` names it (or is `*`) on a write; nothing was written, and the `ETag` header gives the current version',
    headers: {
      ETag: {
        description: "The task's current version as a strong ETag (the collection has none)",
        valueOf: (error: PreconditionFailedError) =>
          error.currentVersion === undefined ? undefined : etagOf(error.currentVersion),
        optional: true,
      },
    },
    operations: CONDITIONAL_OPERATIONS,
  }),
  row({
    error: PayloadTooLargeError,
    status: 413,
    type: 'payload-too-large',
    title: 'Payload Too Large',
    description: `A body over ${MAX_BODY_BYTES / 1024} KiB (the task service's own limit)`,
    operations: BODY_OPERATIONS,
  }),
  row({
    error: UnsupportedMediaTypeError,
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported Media Type',
    description:
      'A body sent with a `Content-Type` other than `application/json` or `application/*+json` (an empty one included); a body without one is read as JSON',
    operations: BODY_OPERATIONS,
  }),
  row({
    error: IdempotencyKeyReusedError,
    status: 422,
    type: 'idempotency-key-reused',
    title: 'Unprocessable Content',
    description: 'The `Idempotency-Key` was used before with another body',
    operations: ['createTask'],
  }),
  row({
    error: StoreThrottledError,
    status: 429,
    type: 'throttled',
    title: 'Too Many Requests',
    description: 'The store is throttling',
    headers: retryAfter(1),
    operations: TASK_OPERATIONS,
  }),
  row({
    error: StoreUnavailableError,
    status: 503,
    type: 'unavailable',
    title: 'Service Unavailable',
    description: 'The store is unavailable',
    headers: retryAfter(2),
    operations: TASK_OPERATIONS,
  }),
  row({
    error: DeadlineExceededError,
    status: 503,
    type: 'unavailable',
    title: 'Service Unavailable',
    description:
      "The request did not finish within the service's deadline; its outcome is unknown, so retry safely",
    headers: retryAfter(2),
    operations: TASK_OPERATIONS,
  }),
]);

export const UNEXPECTED_ERROR: UnexpectedEntry = Object.freeze({
  status: 500,
  type: 'internal-error',
  title: 'Internal Server Error',
  description:
    'An unexpected failure: the body says only `Internal server error (request id …)`; the request id finds it in the logs',
});

export const problemType = (type: string): string => `urn:task-service:problem:${type}`;

/**
 * The reason phrase of a status line: the catalogue's title for the status (RFC 9110's names, which for
 * 422 is "Unprocessable Content" where Node still says "Unprocessable Entity"), else Node's.
 */
export function reasonPhrase(status: number): string {
  const entry = ERROR_CATALOGUE.find((row) => row.status === status);
  return (
    entry?.title ?? (status === UNEXPECTED_ERROR.status ? UNEXPECTED_ERROR.title : STATUS_CODES[status]) ?? ''
  );
}

/** The catalogue row of an error, or undefined when the error is unexpected. */
export function entryOf(error: unknown): ErrorEntry | undefined {
  return ERROR_CATALOGUE.find((entry) => error instanceof entry.error);
}

/** The header values an error carries, read from its row. */
export function headersOf(entry: ErrorEntry, error: Error): Record<string, string> {
  const values = Object.entries(entry.headers ?? {}).map(([name, header]) => [
    name,
    'value' in header ? header.value : header.valueOf(error),
  ]);
  return Object.fromEntries(values.filter(([, value]) => value !== undefined));
}
