import { describe, expect, it } from 'vitest';
import { rawCall } from '../support/http.js';
import { useLocalServer } from '../support/use-local-server.js';

/** A title with the bytes 0xff 0xfe inside: no UTF-8 text contains them. */
const withBadBytes = (json: string) => {
  const [before, after] = json.split('@');
  return Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xff, 0xfe]), Buffer.from(after ?? '')]);
};

const server = useLocalServer();
const send = (method: string, path: string, body: Buffer) =>
  fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: server.token, 'Content-Type': 'application/json' },
    body,
  });

describe('a JSON body that is not UTF-8, through npm start', () => {
  it('is a 400 that says so on create, and stores nothing', async () => {
    const reply = await send('POST', '/tasks', withBadBytes('{"title":"a@b"}'));
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { message: string }).message).toBe('Request body is not valid UTF-8');
    const list = await rawCall(`${server.baseUrl}/tasks`, 'GET', { token: server.token });
    expect(list.json).toEqual([]);
  });

  it('is a 400 on update, and leaves the task as it was', async () => {
    const created = await rawCall(`${server.baseUrl}/tasks`, 'POST', {
      token: server.token,
      body: { title: 'kept' },
    });
    const path = `/tasks/${created.json.taskId}`;
    const reply = await send('PUT', path, withBadBytes('{"title":"a@b"}'));
    expect(reply.status).toBe(400);
    const after = await rawCall(`${server.baseUrl}${path}`, 'GET', { token: server.token });
    expect(after.json.title).toBe('kept');
    expect(after.json.version).toBe(created.json.version);
  });

  it('is stored exactly when it is UTF-8, non-ASCII included', async () => {
    const reply = await send('POST', '/tasks', Buffer.from('{"title":"tâche ✓"}'));
    expect(reply.status).toBe(201);
    expect(((await reply.json()) as { title: string }).title).toBe('tâche ✓');
  });
});
