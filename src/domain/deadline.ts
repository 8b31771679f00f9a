/**
 * Settles as `work` does, or rejects with `timeout()` once `ms` have passed. Work still running at the
 * deadline is not cancelled (nothing can recall a request already sent); the caller just stops waiting.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
