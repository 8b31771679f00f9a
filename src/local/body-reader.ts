import type { IncomingMessage } from 'node:http';

/** What reading a request body came to. */
export type BodyRead =
  | { readonly kind: 'complete'; readonly body: Buffer }
  | { readonly kind: 'too-large' }
  /** The body had not arrived in full by the deadline (a slow or stalled client). */
  | { readonly kind: 'timeout' }
  /** The client stopped sending (half-closed) before the length it declared, or the connection broke. */
  | { readonly kind: 'truncated' };

const NO_BODY: BodyRead = Object.freeze({ kind: 'complete', body: Buffer.alloc(0) });

/**
 * Reads a request body, stopping as soon as it passes `limit` bytes or `deadline` (an epoch in ms) passes.
 * Hand-written rather than `for await`: an iterator cannot be abandoned at a deadline without destroying
 * the request, and destroying it destroys the socket before the 408 can be written.
 */
export function readBody(req: IncomingMessage, limit: number, deadline: number): Promise<BodyRead> {
  // A request that declares no length and no chunks has no body (RFC 9112 §6.3): nothing to wait for.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
    return Promise.resolve(NO_BODY);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyRead) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onBroken).off('close', onBroken);
      req.socket.off('end', onBroken);
      if (outcome.kind !== 'complete') req.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'complete', body: Buffer.concat(chunks) });
    // A half-closed socket while the body is incomplete means the rest will never come.
    const onBroken = () => {
      if (!req.complete) finish({ kind: 'truncated' });
    };
    const onDeadline = () => {
      // A body the parser already holds in full is not late, only unread: let it end.
      if (!req.complete) finish({ kind: 'timeout' });
    };
    const timer = setTimeout(onDeadline, Math.max(0, deadline - Date.now()));
    req.on('data', onData).on('end', onEnd).on('error', onBroken).on('close', onBroken);
    req.socket.on('end', onBroken);
  });
}
