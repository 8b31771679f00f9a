/**
 * The local gateway's stand-in for API Gateway's own clocks: the authorizer's and the integration's
 * (29 s). They are the gateway's, not the service's: the request deadline the handler keeps is
 * `src/domain/deadline.ts`, and it always ends first.
 */
export class Timeout extends Error {
  override readonly name = 'Timeout';
}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
