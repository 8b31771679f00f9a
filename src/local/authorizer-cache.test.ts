import { describe, expect, it } from 'vitest';
import { AuthorizerCache } from './authorizer-cache.js';

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('AuthorizerCache', () => {
  it('returns a stored result within the TTL', () => {
    const time = clock();
    const cache = new AuthorizerCache<string>(300, time.now);
    cache.set('token', 'decision');
    time.advance(299_999);
    expect(cache.get('token')).toBe('decision');
  });

  it('forgets a result once the TTL has passed', () => {
    const time = clock();
    const cache = new AuthorizerCache<string>(300, time.now);
    cache.set('token', 'decision');
    time.advance(300_000);
    expect(cache.get('token')).toBeUndefined();
  });

  it('stores nothing when the TTL is 0', () => {
    const cache = new AuthorizerCache<string>(0);
    cache.set('token', 'decision');
    expect(cache.get('token')).toBeUndefined();
  });

  it('keys by the exact token', () => {
    const cache = new AuthorizerCache<string>(300);
    cache.set('token', 'decision');
    expect([cache.get('Token'), cache.get('token ')]).toEqual([undefined, undefined]);
  });

  it('evicts the oldest entry when full', () => {
    const cache = new AuthorizerCache<string>(300, Date.now, 2);
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3');
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, '2', '3']);
  });

  it.each([[-1], [3601], [Number.NaN]])('refuses the TTL %s', (ttl) => {
    expect(() => new AuthorizerCache(ttl)).toThrow('0 to 3600');
  });

  it('accepts the maximum TTL of 3600 seconds', () => {
    expect(() => new AuthorizerCache(3600)).not.toThrow();
  });
});
