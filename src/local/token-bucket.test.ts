import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

function clock() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const takeMany = (bucket: TokenBucket, n: number) => Array.from({ length: n }, () => bucket.take());

describe('TokenBucket', () => {
  it('allows a full burst at once, then refuses', () => {
    const bucket = new TokenBucket(10, 3, clock().now);
    expect(takeMany(bucket, 4)).toEqual([true, true, true, false]);
  });

  it('refills at the steady rate', () => {
    const time = clock();
    const bucket = new TokenBucket(10, 1, time.now);
    bucket.take();
    time.advance(50);
    expect(bucket.take()).toBe(false);
    time.advance(100);
    expect(bucket.take()).toBe(true);
  });

  it('never holds more than the burst after a long idle time', () => {
    const time = clock();
    const bucket = new TokenBucket(100, 2, time.now);
    time.advance(60_000);
    expect(takeMany(bucket, 3)).toEqual([true, true, false]);
  });

  it('says how long until the next token, and nothing while one is there', () => {
    const time = clock();
    const bucket = new TokenBucket(2, 1, time.now);
    expect(bucket.msUntilToken()).toBe(0);
    bucket.take();
    time.advance(100);
    expect(bucket.msUntilToken()).toBeCloseTo(400);
  });

  it('is full again once a whole burst has refilled', () => {
    const time = clock();
    const bucket = new TokenBucket(10, 2, time.now);
    takeMany(bucket, 2);
    time.advance(150);
    expect(bucket.isFull()).toBe(false);
    time.advance(50);
    expect(bucket.isFull()).toBe(true);
  });

  it('takes back a refunded token, never holding more than the burst', () => {
    const bucket = new TokenBucket(0.001, 2, clock().now);
    bucket.refund();
    takeMany(bucket, 2);
    bucket.refund();
    expect(takeMany(bucket, 2)).toEqual([true, false]);
  });
});
