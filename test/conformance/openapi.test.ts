import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, type Reply } from '../support/http.js';
import { randomToken } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';
import { edgeRequests, invalidRequest } from './request-breakage.js';
import { type Operation, operationsOf, type RequestSpec, validRequest } from './request-model.js';

/**
 * The document against the service: requests generated from openapi/openapi.json alone, sent through the
 * real local server. Every request the document calls valid must be accepted (any answer but a refusal of
 * its form: 400, 413, 415, or a 5xx), and every request it calls invalid must be refused with a 4xx JSON
 * `message` while nothing stored changes. So any gap between the document and the service fails here.
 * CONFORMANCE_RUNS and CONFORMANCE_SEED scale or replay a run.
 */
const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 20);
const SEED =
  process.env.CONFORMANCE_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.CONFORMANCE_SEED);
const tokens = { valid: randomToken(), invalid: randomToken() };
/** Refusals of a request's form. A 412 or 304 is not one: preconditions are weighed only after the form. */
const REFUSALS = new Set([400, 413, 415]);
/** What an invalid request may get: a refusal of its form, or (a broken task id) not found, or no route. */
const INVALID_ANSWERS = new Set([...REFUSALS, 403, 404]);
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(tokens), ACCESS_LOG: 'off' } });
/** The invalid runs' tasks, one per task route; no invalid request may change any of them. */
const targets = new Map<string, string>();

beforeAll(async () => {
  for (const op of operationsOf().filter((o) => o.path.includes('{taskId}')))
    targets.set(op.id, await createTask(tokens.invalid, `target of ${op.id}`));
});

async function createTask(token: string, title: string): Promise<string> {
  const reply = await call(`${server.baseUrl}/tasks`, 'POST', { token, body: { title } });
  return reply.json.taskId as string;
}

function send(op: Operation, request: RequestSpec, token: string, taskId: string): Promise<Reply> {
  // Task routes inside a list run on the caller's default list, where the targets were created.
  const path = op.path.replace('{taskId}', request.taskId ?? taskId).replace('{listId}', '@default');
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query))
    for (const one of Array.isArray(value) ? value : [value]) query.append(name, one as string);
  const url = `${server.baseUrl}${path}${query.size > 0 ? `?${query}` : ''}`;
  const headers = { ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = request.contentType ?? 'application/json';
  return call(url, op.method, {
    token,
    headers,
    ...(request.body !== undefined && { rawBody: JSON.stringify(request.body) }),
  });
}

const snapshot = async () =>
  (await call(`${server.baseUrl}/tasks?limit=100`, 'GET', { token: tokens.invalid })).json as unknown[];

const describeReply = (request: RequestSpec, reply: Reply) =>
  `${JSON.stringify(request)} → ${reply.status} ${reply.text.slice(0, 300)}`;

async function expectAccepted(op: Operation, request: RequestSpec): Promise<void> {
  const taskId = op.path.includes('{taskId}') ? await createTask(tokens.valid, 'valid target') : '';
  const reply = await send(op, request, tokens.valid, taskId);
  const refused = REFUSALS.has(reply.status) || reply.status >= 500;
  expect(refused, describeReply(request, reply)).toBe(false);
}

/** What the invalid runs' principal holds; each invalid request must leave it exactly so. */
let stored: unknown[] | undefined;

async function expectRefused(op: Operation, request: RequestSpec): Promise<void> {
  stored ??= await snapshot();
  const reply = await send(op, request, tokens.invalid, targets.get(op.id) ?? '');
  const what = describeReply(request, reply);
  expect(INVALID_ANSWERS.has(reply.status), what).toBe(true);
  expect(typeof reply.json?.message, what).toBe('string');
  expect(await snapshot(), what).toEqual(stored);
}

describe.each(operationsOf().map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_, op) => {
  it('accepts the valid edges and refuses the invalid ones, enumerated from the document', async () => {
    const edges = edgeRequests(op, SEED);
    expect(edges.valid.length + edges.invalid.length).toBeGreaterThan(0);
    for (const request of edges.valid) await expectAccepted(op, request);
    for (const request of edges.invalid) await expectRefused(op, request);
  });

  it('accepts every request the document calls valid', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest(op), (request) => expectAccepted(op, request)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('refuses every request the document calls invalid, with a 4xx JSON message, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(invalidRequest(op), (request) => expectRefused(op, request)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
