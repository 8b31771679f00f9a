import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/domain/limits.js';
import { call } from '../support/http.js';
import { randomToken, UNLIMITED_PRINCIPALS } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * The caps over HTTP (`npm start`): past each, a 409 whose message names the limit and the amount, and
 * nothing stored. Members per list, subtasks per task and lists owned are reached here (a few thousand
 * requests); tasks per list (20,000) and memberships are in the unit, contract and racing tests, with small
 * caps and near the real one (docs/api.md, "Stored amounts").
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

/** `count` requests, `width` at a time. */
async function inBatches(count: number, width: number, send: (i: number) => Promise<{ status: number }>) {
  for (let i = 0; i < count; i += width)
    for (const reply of await Promise.all(
      Array.from({ length: Math.min(width, count - i) }, (_, j) => send(i + j)),
    ))
      expect(reply.status).toBe(201);
}

describe('the caps a caller fills in a few thousand requests', () => {
  it(`refuses subtask ${LIMITS.subtasksPerTask + 1} of a task, and stores nothing`, async () => {
    const parent = await api('POST', '/tasks', { title: 'parent' });
    const { taskId } = parent.json as { taskId: string };
    await inBatches(LIMITS.subtasksPerTask, 8, () => api('POST', '/tasks', { title: 's', parentId: taskId }));
    const past = await api('POST', '/tasks', { title: 'one more', parentId: taskId });
    expect(past.status).toBe(409);
    expect(past.json).toMatchObject({
      message: 'This task has 2,000 subtasks, the most a task may have; nothing was stored.',
    });
    // Nothing was counted either: the next try meets the same amount.
    const again = await api('POST', '/tasks', { title: 'one more', parentId: taskId });
    expect(again.json).toMatchObject({ message: (past.json as { message: string }).message });
  }, 120_000);

  it(`refuses list ${LIMITS.listsOwned + 1} a caller would own`, async () => {
    await inBatches(LIMITS.listsOwned - 1, 8, () => api('POST', '/lists', { title: 'mine' }));
    const past = await api('POST', '/lists', { title: 'one more' });
    expect(past.status).toBe(409);
    expect(past.json).toMatchObject({
      message: 'You own 2,000 lists, the most a principal may own; nothing was stored.',
    });
  }, 120_000);
});
