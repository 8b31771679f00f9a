import type { PrincipalLimits } from '../api/rate-limit.js';
import { TokenBucket } from './token-bucket.js';

/**
 * One token bucket per principal, the local stand-in for the stage's WAF rate-based rule
 * (infra/rate-limit.ts; docs/operate.md says how the two differ). Buckets back to a full burst are dropped
 * once there are many, so a stream of one-off principals cannot grow the map without bound.
 */
export class PrincipalLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: PrincipalLimits,
    private readonly now: () => number = () => performance.now(),
    private readonly sweepAbove = 10_000,
  ) {}

  /** `undefined` when the principal may go on; else the whole seconds it should wait (`Retry-After`). */
  take(principalId: string): number | undefined {
    let bucket = this.buckets.get(principalId);
    if (!bucket) {
      if (this.buckets.size >= this.sweepAbove) this.sweep();
      bucket = new TokenBucket(this.limits.rateLimit, this.limits.burstLimit, this.now);
      this.buckets.set(principalId, bucket);
    }
    if (bucket.take()) return undefined;
    return Math.max(1, Math.ceil(bucket.msUntilToken() / 1000));
  }

  /** How many principals have a bucket (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(): void {
    for (const [principalId, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(principalId);
  }
}
