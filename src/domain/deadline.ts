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

/** The instant by which a request must be answered, handed down to every store call it makes. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
}

export const deadlineIn = (ms: number): Deadline => ({ at: Date.now() + ms });

export const hasPassed = (deadline: Deadline): boolean => Date.now() >= deadline.at;

/** Throws `DeadlineExceededError` once the deadline has passed: called before anything is sent. */
export function assertBefore(deadline: Deadline): void {
  if (hasPassed(deadline)) throw new DeadlineExceededError();
}

/**
 * Settles as `work` does, or rejects with `DeadlineExceededError` when the deadline passes first. The work
 * is not recalled (nothing can recall a request already sent); whatever it would send next checks the
 * same deadline and stops. A plain timer, not an AbortSignal, which costs more per request than the rest of
 * the handler (docs/performance.md).
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: Deadline): Promise<T> {
  const ms = deadline.at - Date.now();
  if (ms <= 0) {
    work.catch(() => undefined);
    return Promise.reject(new DeadlineExceededError());
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError()), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
