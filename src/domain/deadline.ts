import { DeadlineExceededError } from './errors.js';

/**
 * The request's one clock. The task handler starts a deadline when a request arrives and hands it down to
 * every store call the request makes, so the retries of one call and the later steps of a multi-step
 * operation (an idempotent create's claim, put and complete) all stop at the same instant: once the client
 * has its 503, nothing more is sent for that request.
 *
 * It is the service's own promise, below the 3 s the API documents. API Gateway's 29 s integration
 * timeout is another clock, the gateway's (the local gateway emulates it); this one always ends first.
 * Work sent before the deadline may still complete: the 503 says only that the outcome is unknown, and
 * `If-Match` or an `Idempotency-Key` makes the retry safe.
 */
export const REQUEST_DEADLINE_MS = 2_500;

export interface Deadline {
  /** Epoch milliseconds by which every store call of the request must have finished. */
  readonly at: number;
  /** Aborts at `at`, or earlier once the request has been answered. */
  readonly signal: AbortSignal;
}

/** Starts a request's deadline; `end()` once it is answered, so no straggling work sends anything more. */
export function startDeadline(ms: number): { readonly deadline: Deadline; end(): void } {
  const controller = new AbortController();
  const end = () => {
    clearTimeout(timer);
    controller.abort(new DeadlineExceededError());
  };
  const timer = setTimeout(end, ms);
  timer.unref();
  return { deadline: { at: Date.now() + ms, signal: controller.signal }, end };
}

export const hasPassed = (deadline: Deadline): boolean =>
  deadline.signal.aborted || Date.now() >= deadline.at;

/** Throws `DeadlineExceededError` once the deadline has passed: called before anything is sent. */
export function assertBefore(deadline: Deadline): void {
  if (hasPassed(deadline)) throw new DeadlineExceededError();
}

/**
 * Settles as `work` does, or rejects with `DeadlineExceededError` when the deadline passes first. The work
 * is not recalled (nothing can recall a request already sent); whatever it would send next checks the
 * same deadline and stops.
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  if (hasPassed(deadline)) {
    work.catch(() => undefined);
    return Promise.reject(new DeadlineExceededError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineExceededError());
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', onAbort));
  });
}
