import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listAllTasks, type Task, type TaskApiError } from 'task-service/client';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { expectEveryListShape } from '../support/list-shapes.js';
import { REPO_ROOT, randomToken } from '../support/local-server.js';
import { conformingClient } from '../support/typed-client.js';
import { useLocalServer } from '../support/use-local-server.js';

// One server; each test uses its own principal, so lists see only that test's tasks.
const tokens = {
  crud: randomToken(),
  lists: randomToken(),
  pages: randomToken(),
  refusals: randomToken(),
  outline: randomToken(),
};
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(tokens) } });
const url = (path: string) => `${server.baseUrl}${path}`;
const api = (token: string) => conformingClient(server.baseUrl, token);

describe('the typed client against npm start', () => {
  it('creates a task with the new fields, completes it, reopens it and deletes it', async () => {
    const client = api(tokens.crud);
    const { data: created, response } = await client.POST('/tasks', {
      body: { title: 'Report', dueDate: '2026-12-01', priority: 'HIGH', tags: [' Work', 'work', 'Q4'] },
    });
    expect(response.status).toBe(201);
    expect(created).toMatchObject({ priority: 'HIGH', dueDate: '2026-12-01', tags: ['work', 'q4'] });
    const taskId = created?.taskId ?? '';

    const { data: done } = await client.PATCH('/tasks/{taskId}', {
      params: { path: { taskId } },
      body: { status: 'DONE', dueDate: null },
    });
    expect(done?.completedAt).toBe(done?.updatedAt);
    expect(done).not.toHaveProperty('dueDate');

    const { data: reopened } = await client.PUT('/tasks/{taskId}', {
      params: { path: { taskId } },
      body: { status: 'IN_PROGRESS' },
    });
    expect(reopened).not.toHaveProperty('completedAt');

    const { data: defaults } = await client.POST('/tasks', { body: { title: 'plain' } });
    expect(defaults).toMatchObject({ priority: 'MEDIUM', tags: [], status: 'PENDING', description: '' });
    expect(defaults).not.toHaveProperty('dueDate');

    const removed = await client.DELETE('/tasks/{taskId}', { params: { path: { taskId } } });
    expect(removed.response.status).toBe(204);
    const { error, response: gone } = await client.GET('/tasks/{taskId}', { params: { path: { taskId } } });
    expect(gone.status).toBe(404);
    expect(error).toMatchObject({ message: 'Task not found' });
  });

  it('makes a list, a subtask and a move, and pages a list in manual order', async () => {
    const client = api(tokens.outline);
    const { data: list } = await client.POST('/lists', { body: { title: 'Trip' } });
    const listId = list?.listId ?? '';
    const add = async (title: string, parentId?: string) =>
      (
        await client.POST('/lists/{listId}/tasks', {
          params: { path: { listId } },
          body: { title, ...(parentId && { parentId }) },
        })
      ).data?.taskId ?? '';
    const pack = await add('pack');
    await add('passport', pack);
    const book = await add('book');
    const { data: moved } = await client.POST('/lists/{listId}/tasks/{taskId}/move', {
      params: { path: { listId, taskId: book } },
      body: { previousId: null, parentId: null },
    });
    expect(moved).toMatchObject({ taskId: book, listId });
    const titles: string[] = [];
    for await (const task of listAllTasks(client, { sort: 'position', limit: 1 }, { listId }))
      titles.push(task.title);
    expect(titles).toEqual(['book', 'pack', 'passport']);
  });

  it('filters by status, tag and due range and sorts both ways, following Link pages', async () => {
    await expectEveryListShape(api(tokens.lists));
  });

  it('pages 45 tasks through the async iterator in creation order, 20 at a time', async () => {
    const client = api(tokens.pages);
    const made: string[] = [];
    for (let i = 0; i < 45; i++)
      made.push((await client.POST('/tasks', { body: { title: `t${i}` } })).data?.taskId ?? '');
    const listed: Task[] = [];
    for await (const task of listAllTasks(client)) listed.push(task);
    expect(listed.map((t) => t.taskId)).toEqual(made);
  });
});

describe('refusals', () => {
  it.each([
    ['tag=x&status=DONE', "'tag' cannot be combined"],
    ['dueBefore=2026-01-01&sort=updatedAt', 'need sort=dueDate'],
    ['sort=title', "'sort' must be one of"],
    ['dueAfter=yesterday', 'RFC 3339'],
  ])('answers GET /tasks?%s with a 400 that says why', async (query, reason) => {
    const reply = await call(url(`/tasks?${query}`), 'GET', { token: tokens.refusals });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toContain(reason);
  });

  it('surfaces a refusal from the iterator as a TaskApiError with the status', async () => {
    const iterator = listAllTasks(api(tokens.refusals), { tag: 'x', status: 'DONE' });
    await expect(iterator.next()).rejects.toMatchObject({ status: 400 } satisfies Partial<TaskApiError>);
  });
});

describe('the document and the docs page', () => {
  it('serves the committed OpenAPI document without a token', async () => {
    const reply = await call(url('/openapi.json'), 'GET');
    expect(reply.status).toBe(200);
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi', 'openapi.json'), 'utf8'));
    expect(reply.json).toEqual(committed);
  });

  it('serves the docs page and its swagger-ui assets without a token', async () => {
    const page = await call(url('/docs'), 'GET');
    expect(page.status).toBe(200);
    expect(page.text).toContain('"/dev/openapi.json"');
    const bundle = await call(url('/docs/swagger-ui-bundle.js'), 'GET');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    expect((await call(url('/docs/secrets.txt'), 'GET')).status).toBe(404);
  });

  it('lets a browser send Authorization cross-origin (the docs page Try-it-out)', async () => {
    const preflight = await call(url('/tasks'), 'OPTIONS', {
      headers: { Origin: 'http://elsewhere.example', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });
});
