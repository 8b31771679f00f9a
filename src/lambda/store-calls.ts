/**
 * Which DynamoDB call was slow in this request: every call through the request's `DocumentOps` is timed and
 * handed to the request's own list, for its log line and a latency metric. It stands in for the X-Ray SDK's
 * subsegments, which cost the cold start (docs/performance.md); Lambda's active tracing still records each
 * invocation.
 */
import { aroundDocumentOps, type DocumentOps } from '../store/document-ops.js';

export interface StoreCall {
  /** DynamoDB's name for the operation: `GetItem`, `Query`, … */
  readonly operation: string;
  /** Wall time of the call as the function saw it, to 0.1 ms. */
  readonly ms: number;
  /** Why the call failed: DynamoDB's error type, else the socket's error code (see `failureOf`). */
  readonly error?: string;
}

/**
 * DynamoDB's error type (`ConditionalCheckFailedException`, `ThrottlingException`) when it answered, else
 * the socket's error code (`ECONNRESET`), found along the `cause` chain the store keeps; failing those, the
 * error's own name (`DeadlineExceededError`: every error class names itself with a literal, which survives
 * the bundle's minification).
 */
function failureOf(error: unknown): string {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ('statusCode' in e) return e.name;
    const { code } = e as { code?: unknown };
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.name : 'Error';
}

/** Times each call of `ops` and hands it to `onCall` once it settles (one request's list, the metric). */
export function timedDocumentOps(ops: DocumentOps, onCall: (call: StoreCall) => void): DocumentOps {
  return aroundDocumentOps(ops, async (operation, _input, call) => {
    const started = performance.now();
    let error: string | undefined;
    try {
      return await call();
    } catch (failure) {
      error = failureOf(failure);
      throw failure;
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      onCall(error === undefined ? { operation, ms } : { operation, ms, error });
    }
  });
}
