/**
 * The one error model. Every failure the service expects is a small class here; `api/respond.ts` maps
 * them to HTTP by `instanceof`. Anything else is unexpected and becomes a 500 without internals.
 */
export abstract class TaskServiceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The request is well-formed HTTP but its content breaks a rule. */
export class ValidationError extends TaskServiceError {
  constructor(
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class TaskNotFoundError extends TaskServiceError {
  constructor(options?: ErrorOptions) {
    super('Task not found', options);
  }
}

/** The store could not be reached or timed out; the client should retry later. */
export class StoreUnavailableError extends TaskServiceError {
  constructor(options?: ErrorOptions) {
    super('The task store is temporarily unavailable', options);
  }
}

/** The store refused the request for capacity reasons. */
export class StoreThrottledError extends TaskServiceError {
  constructor(options?: ErrorOptions) {
    super('Too many requests to the task store', options);
  }
}
