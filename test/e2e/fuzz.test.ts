import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../../src/domain/task.js';
import { call } from '../support/http.js';
import { randomToken } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * Property-based fuzzing through the local gateway: generated methods, paths, query strings, headers and
 * bodies, valid and not. Whatever arrives, the answer is never a 5xx, every error is JSON with a
 * `message`, and a rejected request changes nothing stored. FUZZ_RUNS and FUZZ_SEED reproduce or extend a
 * run (`FUZZ_RUNS=20000 FUZZ_SEED=42 npx vitest run test/e2e/fuzz.test.ts`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
/** On a busy machine the default run stops early rather than stall `npm test`; an explicit FUZZ_RUNS runs in full. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? (process.env.FUZZ_RUNS ? 0 : 40_000));
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
/** Independent fuzzers, one principal each, keep the server busy while fast-check generates. */
const WORKERS = 4;
const tokens = Array.from({ length: WORKERS }, () => randomToken());
const principals = Object.fromEntries(tokens.map((token, i) => [`fuzz${i}`, token]));
const server = useLocalServer({ env: { API_TOKENS: JSON.stringify(principals), ACCESS_LOG: 'off' } });
const url = (path: string) => `${server.baseUrl}${path}`;

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const status = fc.oneof(
  fc.constantFrom(...TASK_STATUSES),
  fc.constantFrom('done', '', 'DONE ', 'ARCHIVED'),
  anyText,
);

const segment = fc.oneof(
  fc.nat(2).map((i) => ({ seed: i })),
  fc.uuid().map((id) => ({ raw: id })),
  anyText.map((s) => ({ raw: encodeURIComponent(s) })),
  fc.constantFrom('..', '%2e%2e', '%00', '%E0%A4%A', 'a/b', '').map((raw) => ({ raw })),
);
const path = fc.oneof(
  { weight: 2, arbitrary: fc.constant('/tasks') },
  { weight: 5, arbitrary: segment.map((s) => ({ taskPath: s })) },
  { weight: 1, arbitrary: fc.constantFrom('/', '/task', '/tasks/', '/tasks/x/y', '/TASKS', '/docs') },
);

const query = fc.dictionary(
  fc.constantFrom('limit', 'status', 'cursor', 'x', 'limit[]', '__proto__'),
  fc.oneof(
    fc.integer({ min: -5, max: 105 }).map(String),
    fc.constantFrom('1e2', '0x10', '20.5', ' 7', '99999999999999999999', '-0', 'NaN'),
    status,
    fc.base64String({ maxLength: 80 }),
    anyText,
  ),
  { maxKeys: 3 },
);

const etag = fc.oneof(
  fc.nat(4).map((v) => `"${v}"`),
  fc.nat(4).map((v) => `W/"${v}"`),
  fc.constantFrom('*', '"1", "2"', '""', 'W/', '"1'),
  printable,
);
const headers = fc.record(
  {
    'Content-Type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    'If-Match': etag,
    'If-None-Match': etag,
    'Idempotency-Key': fc.oneof(fc.constantFrom('key-a', 'key-b', 'key-c'), fc.uuid(), printable),
    'X-Fuzz': printable,
  },
  { requiredKeys: [] },
);

const taskLike = fc.record(
  {
    title: fc.oneof(
      fc.string({ maxLength: 210 }),
      fc.constantFrom('', '   ', 'a'.repeat(201)),
      fc.jsonValue(),
    ),
    description: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('d'.repeat(4001)), fc.jsonValue()),
    status: fc.oneof(status, fc.jsonValue()),
    version: fc.oneof(fc.integer(), fc.jsonValue()),
    taskId: fc.oneof(fc.uuid(), fc.jsonValue()),
    // A computed key is an own property named __proto__, as JSON.parse makes it, not the literal's prototype.
    ['__proto__']: fc.jsonValue(),
    constructor: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 6, arbitrary: taskLike.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 15, max: 40 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"title":"x","__proto__":{"status":"DONE"}}',
      '{"title":"\\ud800"}',
      '{"title":1e400}',
      '{"title":"x","title":"y"}',
      `{"title":"big","description":"${'x'.repeat(70_000)}"}`,
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path,
  query,
  headers,
  body,
});
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** One fuzzer: its own principal, three seeded tasks to aim at, and the state it last saw stored. */
async function fuzz(token: string, runs: number, seed: number): Promise<number> {
  const seeds: string[] = [];
  const seedTask = async (i: number) => {
    const reply = await call(url('/tasks'), 'POST', { token, body: { title: `seed ${i}` } });
    seeds[i] = reply.json.taskId;
  };
  /** Everything this principal has stored, in a comparable form. */
  const snapshot = async (): Promise<string> => {
    const reply = await call(url('/tasks?limit=100'), 'GET', { token });
    expect(reply.status).toBe(200);
    return JSON.stringify(reply.json);
  };
  const pathOf = (r: Request): string => {
    if (typeof r.path === 'string') return r.path;
    return `/tasks/${'seed' in r.path.taskPath ? seeds[r.path.taskPath.seed] : r.path.taskPath.raw}`;
  };
  for (let i = 0; i < 3; i++) await seedTask(i);
  let stored = await snapshot();
  const details = await fc.check(
    fc.asyncProperty(request, async (r) => {
      const search = new URLSearchParams(r.query as Record<string, string>).toString();
      const writes = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method);
      const reply = await call(url(search ? `${pathOf(r)}?${search}` : pathOf(r)), r.method, {
        token,
        headers: r.headers as Record<string, string>,
        ...(r.body !== undefined && r.method !== 'GET' && { rawBody: r.body }), // fetch sends no GET body
      });
      expect(reply.status, reply.text).toBeLessThan(500);
      if (reply.status >= 400) {
        expect(reply.headers.get('content-type')).toMatch(/json/);
        expect(typeof reply.json?.message, reply.text).toBe('string');
      }
      if (!writes) return;
      if (reply.status >= 400) {
        expect(await snapshot()).toBe(stored);
        return;
      }
      // Keep the stored state small and the seeds alive, so every run still finds tasks to hit.
      if (r.method === 'POST') {
        if (reply.headers.get('idempotent-replayed') !== 'true')
          await call(url(`/tasks/${reply.json.taskId}`), 'DELETE', { token });
        return; // the state is as before
      }
      const deleted = r.method === 'DELETE' ? seeds.indexOf(pathOf(r).split('/').pop() ?? '') : -1;
      if (deleted >= 0) await seedTask(deleted);
      stored = await snapshot();
    }),
    { numRuns: runs, seed, ...(BUDGET_MS > 0 && { interruptAfterTimeLimit: BUDGET_MS }) },
  );
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
  return details.numRuns;
}

describe('the API, fuzzed through the local gateway', () => {
  it(`never answers 5xx, always explains errors in JSON and stores nothing it refused (${RUNS} runs, seed ${SEED})`, async () => {
    const started = performance.now();
    const share = Math.ceil(RUNS / WORKERS);
    const done = await Promise.all(tokens.map((token, i) => fuzz(token, share, SEED + i)));
    const ran = done.reduce((sum, n) => sum + n, 0);
    expect(ran).toBeGreaterThanOrEqual(Math.min(RUNS, 400)); // even a starved run covers real ground
    console.log(
      `fuzz: ${ran} of ${share * WORKERS} runs (seeds ${SEED}+0..${WORKERS - 1}) in ${Math.round(performance.now() - started)} ms`,
    );
  }, 180_000);
});
