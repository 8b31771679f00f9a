import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.js';
import { call } from '../support/http.js';
import { randomToken, UNLIMITED_PRINCIPALS } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * A cap over HTTP (`npm start`): past it, a 409 whose message names the limit and the amount, and nothing
 * stored. Members per list is the cap a test reaches in a hundred requests; the others are in the unit,
 * contract and racing tests with small caps (docs/api.md, "Limits").
 */
const token = randomToken();
const server = useLocalServer({
  env: { API_TOKENS: JSON.stringify({ alice: token }), ACCESS_LOG: 'off', ...UNLIMITED_PRINCIPALS },
});
const api = (method: string, path: string, body?: unknown) =>
  call(`${server.baseUrl}${path}`, method, { token, ...(body !== undefined && { body }) });

describe('the members of a list, at their cap', () => {
  it(`refuses member ${LIMITS.membersPerList + 1} with a 409 naming the limit and the amount`, async () => {
    const created = await api('POST', '/lists', { title: 'Club' });
    expect(created.status, created.text).toBe(201);
    const { listId } = created.json as { listId: string };
    for (let i = 1; i < LIMITS.membersPerList; i++) {
      const added = await api('PUT', `/lists/${listId}/members/m${i}`, { role: 'viewer' });
      expect(added.status, added.text).toBe(201);
    }
    const past = await api('PUT', `/lists/${listId}/members/late`, { role: 'viewer' });
    expect(past.status).toBe(409);
    expect(past.json).toMatchObject({
      type: 'urn:task-service:problem:limit-reached',
      message: `This list has ${LIMITS.membersPerList} members, the most a list may have; nothing was stored.`,
    });
    const list = await api('GET', `/lists/${listId}`);
    expect(list.json).toMatchObject({ memberCount: LIMITS.membersPerList });
    const late = await api('DELETE', `/lists/${listId}/members/late`);
    expect(late.status).toBe(404);
  });
});
