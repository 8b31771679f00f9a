/** One autocannon run and the figures the report keeps. */
import autocannon from 'autocannon';

export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly body?: unknown;
  readonly token?: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export async function load(request: LoadRequest, connections: number, durationSeconds: number) {
  const result = await autocannon({
    url: request.url,
    method: request.method,
    connections,
    duration: durationSeconds,
    headers: {
      ...(request.token && { Authorization: request.token }),
      ...(request.body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  } satisfies LoadResult;
}

/** Sends `count` requests, `concurrency` at a time; for seeding. */
export async function fill(count: number, concurrency: number, send: (i: number) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
