import { withDeadline } from '../domain/deadline.js';
import { DeadlineExceededError } from '../domain/errors.js';

/**
 * Every request is answered within this time, whatever the store does: below the 3 s the API promises and
 * far below API Gateway's 29 s. It bounds the sum of the SDK's attempts (see `STORE_CLIENT_LIMITS`) and an
 * idempotent create's few store calls. Work still running at the deadline may yet complete; the 503 says
 * only that the outcome is unknown, and `If-Match` or an `Idempotency-Key` makes the retry safe.
 */
export const REQUEST_DEADLINE_MS = 2_500;

/** The handler's race against `REQUEST_DEADLINE_MS`: a late answer becomes a 503 (`DeadlineExceededError`). */
export const withRequestDeadline = <T>(work: Promise<T>, ms: number): Promise<T> =>
  withDeadline(work, ms, () => new DeadlineExceededError());
