import { describe, expect, it } from 'vitest';
import { TaskApiError } from '../../src/client/index.js';
import { LIMITS, limitMessage } from '../../src/domain/limits.js';
import {
  AUTO_RETRY_MAX_SECONDS,
  isLimitReached,
  messageOf,
  retryingOnce,
  TooManyRequestsError,
} from './task-api.js';

const BODY = { message: 'Too Many Requests' };

/** A call that fails with each error in turn, then answers 'done'; and the waits it was made to sit out. */
function flaky(...errors: Error[]) {
  const waits: number[] = [];
  let calls = 0;
  const call = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return 'done';
  };
  const wait = async (seconds: number) => void waits.push(seconds);
  return { call, wait, waits, calls: () => calls };
}

describe('retryingOnce', () => {
  it("retries once after a 429's short Retry-After", async () => {
    const api = flaky(new TooManyRequestsError(BODY, 2));
    expect(await retryingOnce(api.call, api.wait)).toBe('done');
    expect(api.waits).toEqual([2]);
  });

  it('gives up after the one retry', async () => {
    const api = flaky(new TooManyRequestsError(BODY, 1), new TooManyRequestsError(BODY, 1));
    await expect(retryingOnce(api.call, api.wait)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(api.calls()).toBe(2);
  });

  it('leaves a long wait, an unknown one and any other error to the person', async () => {
    for (const error of [
      new TooManyRequestsError(BODY, AUTO_RETRY_MAX_SECONDS + 1),
      new TooManyRequestsError(BODY, undefined),
      new TaskApiError(503, BODY),
    ]) {
      const api = flaky(error);
      await expect(retryingOnce(api.call, api.wait)).rejects.toBe(error);
      expect(api.waits).toEqual([]);
    }
  });
});

describe("a 429's message", () => {
  it.each([
    [new TooManyRequestsError(BODY, 60), 'wait about 1 minute'],
    [new TooManyRequestsError(BODY, 5), 'wait 5 seconds'],
    [new TooManyRequestsError(BODY, undefined), 'wait a moment'],
    [new TaskApiError(429, BODY), 'wait a moment'],
  ])('says how long to wait, politely (%#)', (error, wait) => {
    expect(messageOf(error)).toBe(
      `Too many requests in a short time: the task service asks you to wait ${wait.slice(5)}, then try again.`,
    );
  });
});

describe("a cap's message", () => {
  it('is the API’s own words, and says retrying cannot help', () => {
    const message = limitMessage('tasksPerList', LIMITS.tasksPerList);
    const error = new TaskApiError(409, { type: 'urn:task-service:problem:limit-reached', message });
    expect(messageOf(error)).toBe(
      'This list holds 20,000 tasks, the most a list may hold; nothing was stored.',
    );
    expect(isLimitReached(error)).toBe(true);
    expect(isLimitReached(new TaskApiError(409, { message: 'Conflict' }))).toBe(false);
  });
});
