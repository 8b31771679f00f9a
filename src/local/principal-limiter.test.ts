import { describe, expect, it } from 'vitest';
import { PrincipalLimiter } from './principal-limiter.js';

function clock() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('PrincipalLimiter', () => {
  it("lets a principal's burst through, then answers how many whole seconds to wait", () => {
    const limiter = new PrincipalLimiter({ rateLimit: 0.5, burstLimit: 2 }, clock().now);
    expect([limiter.take('alice'), limiter.take('alice'), limiter.take('alice')]).toEqual([
      undefined,
      undefined,
      2,
    ]);
  });

  it('keeps each principal on its own budget', () => {
    const limiter = new PrincipalLimiter({ rateLimit: 1, burstLimit: 1 }, clock().now);
    limiter.take('flooder');
    expect(limiter.take('flooder')).toBe(1);
    expect(limiter.take('worker')).toBeUndefined();
  });

  it('rounds a wait under a second up to one', () => {
    const time = clock();
    const limiter = new PrincipalLimiter({ rateLimit: 10, burstLimit: 1 }, time.now);
    limiter.take('alice');
    expect(limiter.take('alice')).toBe(1);
    time.advance(100);
    expect(limiter.take('alice')).toBeUndefined();
  });

  it('drops the buckets that refilled once it holds many, keeping the ones still spent', () => {
    const time = clock();
    const limiter = new PrincipalLimiter({ rateLimit: 1, burstLimit: 1 }, time.now, 2);
    limiter.take('old');
    time.advance(1000);
    limiter.take('spent');
    limiter.take('new');
    expect(limiter.size).toBe(2);
    expect(limiter.take('spent')).toBe(1);
  });
});
