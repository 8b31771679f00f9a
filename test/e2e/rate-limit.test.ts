import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSES } from '../../src/api/gateway-responses.js';
import { call } from '../support/http.js';
import { accessLogEntry, type LocalServer, startLocalServer } from '../support/local-server.js';

/**
 * Each principal's own request budget, over HTTP through `npm start`: small limits, so the flood is short.
 * The burst is 5 and the sustained rate 1 a second, so of 20 requests sent at once at most 5 or 6 pass.
 */
const TOKENS = { flooder: 'flooder-token-0123456789', worker: 'worker-token-0123456789' };
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({
    env: { API_TOKENS: JSON.stringify(TOKENS), PRINCIPAL_RATE_LIMIT: '1', PRINCIPAL_BURST_LIMIT: '5' },
  });
});
afterAll(async () => {
  await server?.destroy();
});

const list = (token: string) => call(`${server.baseUrl}/tasks`, 'GET', { token });

describe('a principal past its own request rate', () => {
  it('gets 429 with Retry-After in whole seconds and a JSON message, while another principal gets none', async () => {
    const flood = await Promise.all(Array.from({ length: 20 }, () => list(TOKENS.flooder)));
    const worker = await Promise.all(Array.from({ length: 4 }, () => list(TOKENS.worker)));

    const refused = flood.filter((reply) => reply.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(14);
    expect(flood.filter((reply) => reply.status === 200).length).toBeGreaterThanOrEqual(5);
    for (const reply of refused) {
      expect(reply.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(reply.headers.get('content-type')).toBe('application/json');
      expect(reply.json).toEqual(GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.body);
    }
    expect(worker.map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
    const logged = await accessLogEntry(server, refused[0]?.headers.get('x-amzn-requestid') ?? null);
    expect(logged).toMatchObject({ status: 429, principalId: 'flooder' });
  });

  it('still reads the public OpenAPI document', async () => {
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(`${server.baseUrl}/openapi.json`, 'GET', { token: TOKENS.flooder }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(200));
  });
});
