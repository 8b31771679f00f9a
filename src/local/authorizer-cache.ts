import { API_GATEWAY_LIMITS } from '../settings/platform.js';

/**
 * API Gateway's authorizer result cache: keyed by the identity source value (the token), per API and
 * stage, holding the whole result (policy and context) for the TTL. TTL 0 disables caching.
 */
export class AuthorizerCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {
    const { min, max } = API_GATEWAY_LIMITS.authorizerCacheSeconds;
    if (!(ttlSeconds >= min && ttlSeconds <= max))
      throw new Error(`Authorizer cache TTL must be ${min} to ${max} seconds`);
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    if (this.ttlSeconds === 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlSeconds * 1000 });
  }
}
