/**
 * A steady rate with a burst allowance (token bucket): API Gateway's stage throttling, and each principal's
 * own request budget (src/local/principal-limiter.ts).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) / 1000) * this.ratePerSecond);
    this.last = at;
  }

  /** Takes a token when there is one; a refusal takes nothing. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Gives back a token taken for a request that turned out not to count (never above the burst). */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** How long until the next token, in milliseconds (0 when there is one now). */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.ratePerSecond) * 1000;
  }

  /** Whether the bucket is back to its whole burst: it then behaves as a new one, and may be dropped. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }
}
