import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadlineIn } from '../domain/deadline.js';
import type { DocumentOps } from '../store/document-ops.js';
import { type StoreCall, timedDocumentOps } from './store-calls.js';

describe('store call timing', () => {
  const deadline = deadlineIn(60_000);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));
  /** A store whose reads take 30 ms and whose queries 5 ms; puts fail after 2 ms. */
  const slowOps = {
    get: async () => {
      await wait(30);
      return { pk: 'T#a' };
    },
    query: async () => {
      await wait(5);
      return { items: [] };
    },
    put: async () => {
      await wait(2);
      const reply = Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        statusCode: 400,
      });
      throw new Error('condition', { cause: reply });
    },
    update: async () => ({}),
    delete: async () => undefined,
  } as unknown as DocumentOps;

  it("hands each call's operation and milliseconds over as it settles, in that order", async () => {
    const calls: StoreCall[] = [];
    const db = timedDocumentOps(slowOps, (call) => calls.push(call));
    const request = (async () => {
      await db.get({ TableName: 'tasks', Key: {} }, deadline);
      await db.query({ TableName: 'tasks', KeyConditionExpression: '#p = :p' }, deadline);
      return 'answered';
    })();
    await vi.advanceTimersByTimeAsync(40);
    expect(await request).toBe('answered');
    expect(calls).toEqual([
      { operation: 'GetItem', ms: 30 },
      { operation: 'Query', ms: 5 },
    ]);
  });

  it('keeps the calls of concurrent requests apart, each on the ops it was given', async () => {
    const reading: StoreCall[] = [];
    const listing: StoreCall[] = [];
    const forReading = timedDocumentOps(slowOps, (call) => reading.push(call));
    const forListing = timedDocumentOps(slowOps, (call) => listing.push(call));
    const both = Promise.all([
      forReading.get({ TableName: 'tasks', Key: {} }, deadline),
      forListing.query({ TableName: 'tasks', KeyConditionExpression: 'k' }, deadline),
    ]);
    await vi.advanceTimersByTimeAsync(40);
    await both;
    expect(reading.map((call) => call.operation)).toEqual(['GetItem']);
    expect(listing.map((call) => call.operation)).toEqual(['Query']);
  });

  it('names a failure without a DynamoDB reply by its socket error code', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const ops = { ...slowOps, get: async () => Promise.reject(new Error('unavailable', { cause: refused })) };
    const calls: StoreCall[] = [];
    const db = timedDocumentOps(ops, (call) => calls.push(call));
    await db.get({ TableName: 'tasks', Key: {} }, deadline).catch(() => 'failed');
    expect(calls).toEqual([{ operation: 'GetItem', ms: 0, error: 'ECONNREFUSED' }]);
  });

  it("records a failed call with DynamoDB's error type, and still rethrows the error", async () => {
    const calls: StoreCall[] = [];
    const db = timedDocumentOps(slowOps, (call) => calls.push(call));
    const failing = expect(db.put({ TableName: 'tasks', Item: {} }, deadline)).rejects.toThrow('condition');
    await vi.advanceTimersByTimeAsync(5);
    await failing;
    expect(calls).toEqual([{ operation: 'PutItem', ms: 2, error: 'ConditionalCheckFailedException' }]);
  });
});
