import { expect, it } from 'vitest';
import { mintWithStoredKey } from '../../src/local/issuer.js';
import { call } from '../support/http.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * Sharing in JWT mode: a member is named by its token's `sub`, and scopes apply on top of roles: a viewer
 * needs only `tasks/read`, and an editor's write still needs `tasks/write`.
 */
const server = useLocalServer({ env: { AUTH_MODE: 'jwt', ACCESS_LOG: 'off' } });
const READ = 'tasks/read';
const FULL = 'tasks/read tasks/write';
const api = async (sub: string, scope: string, method: string, path: string, body?: unknown) =>
  call(`${server.baseUrl}${path}`, method, {
    token: `Bearer ${await mintWithStoredKey({ dataDir: server.dataDir, sub, scope })}`,
    ...(body !== undefined && { body }),
  });

it('names members by sub, and checks scopes as well as roles', async () => {
  const sub = (name: string) => `${name}|${Math.random().toString(36).slice(2)}`;
  const [alice, bob, carol] = [sub('alice'), sub('bob'), sub('carol')];
  const me = await api(bob, READ, 'GET', '/lists/@default/members');
  expect(me.json).toEqual([{ principalId: bob, role: 'owner' }]);
  const list = await api(alice, FULL, 'POST', '/lists', { title: 'Shared' });
  const path = `/lists/${list.json.listId}`;
  expect((await api(alice, FULL, 'PUT', `${path}/members/${bob}`, { role: 'editor' })).status).toBe(201);
  expect((await api(alice, FULL, 'PUT', `${path}/members/${carol}`, { role: 'viewer' })).status).toBe(201);
  expect((await api(carol, READ, 'GET', `${path}/tasks`)).status).toBe(200);
  expect((await api(carol, FULL, 'POST', `${path}/tasks`, { title: 'x' })).status).toBe(403);
  const readOnlyEditor = await api(bob, READ, 'POST', `${path}/tasks`, { title: 'x' });
  expect(readOnlyEditor.status).toBe(403); // the scope, refused by the authorizer's policy
  expect((await api(bob, FULL, 'POST', `${path}/tasks`, { title: 'x' })).status).toBe(201);
});
