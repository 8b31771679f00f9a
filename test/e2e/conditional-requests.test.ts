import { describe, expect, it } from 'vitest';
import { call, type Reply } from '../support/http.js';
import { randomToken } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * RFC 9110 §13 over HTTP: every combination of If-Match and If-None-Match with each method, against a
 * task that exists and one that does not, and against the collection. The expected status comes from the
 * oracle below, written from the RFC's words rather than from the service's code.
 */
const tokens = { tasks: randomToken(), collection: randomToken(), malformed: randomToken() };
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(tokens), ACCESS_LOG: 'off' } });
const url = (path: string) => `${server.baseUrl}${path}`;

/** Header values, as functions of the task's current version (1 for a new task). */
const IF_MATCH = {
  absent: undefined,
  '*': () => '*',
  current: (v: number) => `"${v}"`,
  'weak current': (v: number) => `W/"${v}"`,
  other: (v: number) => `"${v + 7}"`,
  'list with current': (v: number) => `"${v + 7}", "${v}"`,
  'not a version': () => '"abc"',
} as const;
const IF_NONE_MATCH = {
  absent: undefined,
  '*': () => '*',
  current: (v: number) => `"${v}"`,
  'weak current': (v: number) => `W/"${v}"`,
  other: (v: number) => `"${v + 7}"`,
  'list with current': (v: number) => `W/"${v + 7}", "${v}"`,
} as const;
type IfMatchCase = keyof typeof IF_MATCH;
type IfNoneMatchCase = keyof typeof IF_NONE_MATCH;

/** If-Match uses the strong comparison: only a strong tag naming the current version matches. */
const ifMatchHolds = (c: IfMatchCase) => ['absent', '*', 'current', 'list with current'].includes(c);
/** If-None-Match uses the weak comparison, and `*` matches any current representation. */
const ifNoneMatchFails = (c: IfNoneMatchCase) =>
  ['*', 'current', 'weak current', 'list with current'].includes(c);

const METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
const SUCCESS: Record<Method, number> = { GET: 200, PUT: 200, PATCH: 200, DELETE: 204 };

/** RFC 9110 §13.2.1–§13.2.2 for one task: 404 first, then If-Match, then If-None-Match. */
function expectedOnTask(method: Method, exists: boolean, im: IfMatchCase, inm: IfNoneMatchCase): number {
  if (!exists) return 404;
  if (!ifMatchHolds(im)) return 412;
  if (ifNoneMatchFails(inm)) return method === 'GET' ? 304 : 412;
  return SUCCESS[method];
}

function headersFor(im: IfMatchCase, inm: IfNoneMatchCase, version: number) {
  const headers: Record<string, string> = {};
  const ifMatch = IF_MATCH[im];
  const ifNoneMatch = IF_NONE_MATCH[inm];
  if (ifMatch) headers['If-Match'] = ifMatch(version);
  if (ifNoneMatch) headers['If-None-Match'] = ifNoneMatch(version);
  return headers;
}

const combinations = (Object.keys(IF_MATCH) as IfMatchCase[]).flatMap((im) =>
  (Object.keys(IF_NONE_MATCH) as IfNoneMatchCase[]).map((inm) => [im, inm] as const),
);
const MISSING_ID = '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d';

const createTask = async (token: string, title: string) =>
  (await call(url('/tasks'), 'POST', { token, body: { title } })).json as { taskId: string; version: number };

async function send(method: Method, taskId: string, headers: Record<string, string>): Promise<Reply> {
  const body = method === 'PUT' || method === 'PATCH' ? { title: 'changed' } : undefined;
  return call(url(`/tasks/${taskId}`), method, { token: tokens.tasks, headers, body });
}

describe.concurrent.each(METHODS)('%s /tasks/{taskId}', (method) => {
  it.each(combinations)('with If-Match %s and If-None-Match %s', async (im, inm) => {
    const task = await createTask(tokens.tasks, 'original');
    const onExisting = await send(method, task.taskId, headersFor(im, inm, task.version));
    const onMissing = await send(method, MISSING_ID, headersFor(im, inm, 1));

    expect([onExisting.status, onMissing.status]).toEqual([
      expectedOnTask(method, true, im, inm),
      expectedOnTask(method, false, im, inm),
    ]);
    const after = await call(url(`/tasks/${task.taskId}`), 'GET', { token: tokens.tasks });
    if (onExisting.status === 412 || onExisting.status === 304 || method === 'GET') {
      // Nothing was written: same task, same version; the answer names the current ETag.
      expect(after.json).toMatchObject({ title: 'original', version: task.version });
      if (onExisting.status !== 200) expect(onExisting.headers.get('etag')).toBe(`"${task.version}"`);
      if (onExisting.status === 304) expect(onExisting.text).toBe('');
    } else if (method === 'DELETE') expect(after.status).toBe(404);
    else expect(after.json).toMatchObject({ title: 'changed', version: task.version + 1 });
  });
});

/** The collection always exists and has no ETag: If-Match holds only as `*`, If-None-Match fails only as `*`. */
function expectedOnCollection(method: 'GET' | 'POST', im: IfMatchCase, inm: IfNoneMatchCase): number {
  if (im !== 'absent' && im !== '*') return 412;
  if (inm === '*') return method === 'GET' ? 304 : 412;
  return method === 'GET' ? 200 : 201;
}

describe.concurrent('the collection /tasks', () => {
  it.each(combinations)('POST with If-Match %s and If-None-Match %s', async (im, inm) => {
    const title = `post ${im} ${inm}`;
    const reply = await call(url('/tasks'), 'POST', {
      token: tokens.collection,
      headers: headersFor(im, inm, 1),
      body: { title },
    });
    expect(reply.status).toBe(expectedOnCollection('POST', im, inm));
    const list = await call(url('/tasks?limit=100'), 'GET', { token: tokens.collection });
    const stored = (list.json as { title: string }[]).filter((t) => t.title === title);
    expect(stored).toHaveLength(reply.status === 201 ? 1 : 0);
  });

  it.each(combinations)('GET with If-Match %s and If-None-Match %s', async (im, inm) => {
    const reply = await call(url('/tasks'), 'GET', {
      token: tokens.collection,
      headers: headersFor(im, inm, 1),
    });
    expect(reply.status).toBe(expectedOnCollection('GET', im, inm));
    if (reply.status === 304) expect(reply.text).toBe('');
  });
});

describe.concurrent('a malformed If-Match or If-None-Match', () => {
  const MALFORMED = [
    ['an unquoted tag', '3'],
    ['an empty value', ''],
    ['* in a list', '"1", *'],
    ['a tag with a space', '"a b"'],
    ['21 tags', Array.from({ length: 21 }, (_, i) => `"${i}"`).join(', ')],
    ['over 1 KiB', `"${'1'.repeat(1030)}"`],
  ] as const;
  const cases = MALFORMED.flatMap(([what, value]) =>
    (['If-Match', 'If-None-Match'] as const).flatMap((header) =>
      (['GET', 'PUT', 'PATCH', 'DELETE', 'POST'] as const).map(
        (method) => [header, what, method, value] as const,
      ),
    ),
  );

  it.each(cases)('%s holding %s is a 400 on %s that changes nothing', async (header, _, method, value) => {
    const task = await createTask(tokens.malformed, 'kept');
    const path = method === 'POST' ? '/tasks' : `/tasks/${task.taskId}`;
    const body = method === 'GET' || method === 'DELETE' ? undefined : { title: 'malformed' };
    const reply = await call(url(path), method, {
      token: tokens.malformed,
      headers: { [header]: value },
      body,
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toContain(`Header '${header}'`);
    const after = await call(url(`/tasks/${task.taskId}`), 'GET', { token: tokens.malformed });
    expect(after.json).toMatchObject({ title: 'kept', version: 1 });
    const list = await call(url('/tasks?limit=100'), 'GET', { token: tokens.malformed });
    expect((list.json as { title: string }[]).some((t) => t.title === 'malformed')).toBe(false);
  });

  it('is a 400 even on a missing task, before its 404', async () => {
    const reply = await call(url(`/tasks/${MISSING_ID}`), 'GET', {
      token: tokens.malformed,
      headers: { 'If-Match': '3' },
    });
    expect(reply.status).toBe(400);
  });
});
