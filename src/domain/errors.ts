/**
 * The one error model. Every failure the service expects is a small class here; its row in
 * `api/error-catalogue.ts`, found by `instanceof`, is its HTTP answer, which `api/respond.ts` writes.
 * Anything else is unexpected and becomes a 500 without internals.
 */
export abstract class TaskServiceError extends Error {
  /**
   * The class's own name, written as a literal: the deployed bundle is minified, so a name read from the
   * class (`new.target.name`) would log as `be`. Abstract, so a new error class cannot compile without it.
   */
  abstract override readonly name: string;
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The request is well-formed HTTP but its content breaks a rule. */
export class ValidationError extends TaskServiceError {
  /** Typed `string`, not the literal, so a subclass (the store's `InvalidCursorError`) names itself. */
  override readonly name: string = 'ValidationError';

  constructor(
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The change feed cannot answer from this far back: its tombstones may have expired. */
export class ResyncRequiredError extends TaskServiceError {
  override readonly name = 'ResyncRequiredError';

  constructor(retentionDays: number, settleSeconds: number, options?: ErrorOptions) {
    super(
      `'updatedSince' is older than the ${retentionDays}-day retention of deletions: do a full resync (list every task without 'updatedSince'), then sync from an instant at least ${settleSeconds} s before that listing began`,
      options,
    );
  }
}

export class TaskNotFoundError extends TaskServiceError {
  override readonly name = 'TaskNotFoundError';

  constructor(options?: ErrorOptions) {
    super('Task not found', options);
  }
}

/** The store could not be reached or timed out; the client should retry later. */
export class StoreUnavailableError extends TaskServiceError {
  override readonly name = 'StoreUnavailableError';

  constructor(options?: ErrorOptions) {
    super('The task store is temporarily unavailable', options);
  }
}

/** The store refused the request for capacity reasons. */
export class StoreThrottledError extends TaskServiceError {
  override readonly name = 'StoreThrottledError';

  constructor(options?: ErrorOptions) {
    super('Too many requests to the task store', options);
  }
}

/**
 * A precondition (`If-Match`, `If-None-Match`) did not hold. Carries the task's current version for the
 * ETag; undefined for the task collection, which has none.
 */
export class PreconditionFailedError extends TaskServiceError {
  override readonly name = 'PreconditionFailedError';

  constructor(
    readonly currentVersion: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      currentVersion === undefined
        ? 'A precondition failed: the task collection always exists and has no ETag (If-Match or If-None-Match did not hold)'
        : 'A precondition failed: the current ETag is in the response (If-Match or If-None-Match did not hold)',
      options,
    );
  }
}

/** An `Idempotency-Key` was reused with a different request body. */
export class IdempotencyKeyReusedError extends TaskServiceError {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor(options?: ErrorOptions) {
    super('This Idempotency-Key was already used with a different request body', options);
  }
}

/** The first request with this `Idempotency-Key` is still being processed; retry shortly. */
export class IdempotencyInProgressError extends TaskServiceError {
  override readonly name = 'IdempotencyInProgressError';

  constructor(options?: ErrorOptions) {
    super('A request with this Idempotency-Key is still in progress; retry shortly', options);
  }
}

/** The request did not finish within the service's deadline; its outcome is unknown, so retry safely. */
export class DeadlineExceededError extends TaskServiceError {
  override readonly name = 'DeadlineExceededError';

  constructor(options?: ErrorOptions) {
    super('The request did not complete in time; it is safe to retry', options);
  }
}

/** A create met a task with the same id. Only idempotent creates reuse ids, so only they see this. */
export class TaskExistsError extends TaskServiceError {
  override readonly name = 'TaskExistsError';

  constructor(options?: ErrorOptions) {
    super('A task with this id exists already', options);
  }
}

/**
 * The list does not exist, or the caller may not see it: the two are one answer, so a list's existence
 * never leaks (never a 403 for a list the caller is not in).
 */
export class ListNotFoundError extends TaskServiceError {
  override readonly name = 'ListNotFoundError';

  constructor(options?: ErrorOptions) {
    super('List not found', options);
  }
}

/** Every principal keeps its default list (`@default`, which `/tasks` is). */
export class DefaultListUndeletableError extends TaskServiceError {
  override readonly name = 'DefaultListUndeletableError';

  constructor(options?: ErrorOptions) {
    super('The default list (@default) cannot be deleted; delete its tasks instead', options);
  }
}

/**
 * A well-formed request that names a place the outline cannot hold: a parent that is not a top-level task of
 * the list, a `previousId` that is not a sibling under that parent, a task with subtasks under a parent.
 * The body is valid; what it refers to is not (RFC 9110's 422), so a form check can never catch it.
 */
export class InvalidPlacementError extends TaskServiceError {
  override readonly name = 'InvalidPlacementError';

  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A member whose role does not allow the request (a viewer writing, an editor managing members). Only a
 * member ever sees it: a non-member gets `ListNotFoundError`, so a list's existence never leaks.
 */
export class ListForbiddenError extends TaskServiceError {
  override readonly name = 'ListForbiddenError';

  constructor(
    readonly role: string,
    need: 'read' | 'write' | 'manage',
    options?: ErrorOptions,
  ) {
    super(
      need === 'manage'
        ? `Your role in this list is '${role}': only its owner may manage members or delete it`
        : `Your role in this list is '${role}': only its owner and editors may change its tasks or title`,
      options,
    );
  }
}

/** The default list (`@default`, which `/tasks` is) is never shared: it keeps the original contract private. */
export class DefaultListPrivateError extends TaskServiceError {
  override readonly name = 'DefaultListPrivateError';

  constructor(options?: ErrorOptions) {
    super('The default list (@default) is never shared; create a list with POST /lists to share it', options);
  }
}

/** The owner's own membership: its role cannot change, and it cannot leave a list that has other members. */
export class OwnerMembershipError extends TaskServiceError {
  override readonly name = 'OwnerMembershipError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The principal named in a member route is not a member of the list. */
export class MemberNotFoundError extends TaskServiceError {
  override readonly name = 'MemberNotFoundError';

  constructor(options?: ErrorOptions) {
    super('Member not found: that principal is not a member of this list', options);
  }
}

/**
 * A stored amount at its cap (`limits.ts`): the list's tasks, a task's subtasks, a list's members, the
 * caller's lists. Nothing was stored; the message names the limit and the amount.
 */
export class LimitReachedError extends TaskServiceError {
  override readonly name = 'LimitReachedError';

  constructor(
    readonly limit: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
