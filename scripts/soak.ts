/**
 * `npm run soak`: a bounded mixed CRUD load over loopback against a freshly started local server, then a
 * consistency check: every client's tasks, as stored, must be exactly what the API told that client (no
 * lost, phantom or stale task). Prints requests, errors, latency percentiles and the verdict; exits 1 on
 * any error or inconsistency.
 *
 *   npm run soak                                  # 60 s, 8 clients
 *   npm run soak -- --seconds 300 --clients 16    # or SOAK_SECONDS / SOAK_CLIENTS
 */
import { randomUUID } from 'node:crypto';
import { call, nextLink, type Reply } from '../test/support/http.js';
import { randomToken, startLocalServer } from '../test/support/local-server.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: npm run soak -- [--seconds N] [--clients N]
  --seconds N   how long the load runs (default 60, or SOAK_SECONDS)
  --clients N   concurrent clients, each its own principal (default 8, or SOAK_CLIENTS)
  -h, --help    this text`;

const { values, fail: usageError } = readCommandLine('soak', USAGE, {
  seconds: { type: 'string', default: process.env.SOAK_SECONDS ?? '60' },
  clients: { type: 'string', default: process.env.SOAK_CLIENTS ?? '8' },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
if (!(seconds > 0)) usageError(`--seconds must be a positive number, not "${values.seconds}"`);
if (!(Number.isInteger(clients) && clients > 0))
  usageError(`--clients must be a positive whole number, not "${values.clients}"`);

const STATUSES = ['PENDING', 'IN_PROGRESS', 'DONE'] as const;
const latencies: number[] = [];
const errors: string[] = [];
let requests = 0;

interface Known {
  version: number;
  title: string;
  status: string;
}

/** One client: its own principal, and what the API told it about each of its tasks. */
function makeClient(baseUrl: string, token: string) {
  const known = new Map<string, Known>();
  const send = async (path: string, method: string, extra: object = {}): Promise<Reply> => {
    const started = performance.now();
    const reply = await call(`${baseUrl}${path}`, method, { token, ...extra });
    latencies.push(performance.now() - started);
    requests++;
    return reply;
  };
  const expectStatus = (what: string, reply: Reply, ...wanted: number[]) => {
    const ok = wanted.includes(reply.status);
    if (!ok) errors.push(`${what}: ${reply.status} ${reply.text.slice(0, 200)}`);
    return ok;
  };
  const anyId = () => [...known.keys()][Math.floor(Math.random() * known.size)];

  async function create() {
    const key = Math.random() < 0.5 ? randomUUID() : undefined;
    const body = { title: `soak ${randomUUID().slice(0, 8)}`, status: STATUSES[requests % 3] ?? 'PENDING' };
    const headers = key ? { 'Idempotency-Key': key } : undefined;
    const reply = await send('/tasks', 'POST', { body, ...(headers && { headers }) });
    if (!expectStatus('create', reply, 201)) return;
    known.set(reply.json.taskId, { version: 1, title: body.title, status: body.status });
    if (key && Math.random() < 0.2) {
      const retry = await send('/tasks', 'POST', { body, headers });
      if (expectStatus('idempotent retry', retry, 201) && retry.json.taskId !== reply.json.taskId)
        errors.push(`idempotent retry created ${retry.json.taskId}, not ${reply.json.taskId}`);
    }
  }

  async function read(id: string) {
    const reply = await send(`/tasks/${id}`, 'GET');
    if (expectStatus('get', reply, 200) && reply.json.version !== known.get(id)?.version)
      errors.push(`get ${id}: version ${reply.json.version}, expected ${known.get(id)?.version}`);
  }

  async function update(id: string) {
    const was = known.get(id) as Known;
    const status = STATUSES[(STATUSES.indexOf(was.status as never) + 1) % 3] as string;
    const headers = { 'If-Match': `"${was.version}"` };
    const reply = await send(`/tasks/${id}`, 'PATCH', { body: { status }, headers });
    if (expectStatus('update', reply, 200)) known.set(id, { ...was, status, version: reply.json.version });
  }

  async function remove(id: string) {
    const headers = { 'If-Match': `"${known.get(id)?.version}"` };
    if (expectStatus('delete', await send(`/tasks/${id}`, 'DELETE', { headers }), 204)) known.delete(id);
  }

  async function list() {
    const status = Math.random() < 0.5 ? STATUSES[Math.floor(Math.random() * 3)] : undefined;
    expectStatus('list', await send(`/tasks?limit=50${status ? `&status=${status}` : ''}`, 'GET'), 200);
  }

  async function step() {
    const id = anyId();
    const roll = Math.random();
    if (!id || roll < 0.3 || (known.size < 20 && roll < 0.5)) return create();
    if (roll < 0.55) return read(id);
    if (roll < 0.75) return update(id);
    if (roll < 0.85 || known.size > 200) return remove(id);
    return list();
  }

  /** What is stored for this principal, paged through, against what the client was told. */
  async function verify(): Promise<{ lost: number; phantom: number; stale: number }> {
    const stored = new Map<string, { version: number; status: string }>();
    let next: string | undefined = `${baseUrl}/tasks?limit=100`;
    while (next) {
      const reply = await call(next, 'GET', { token });
      for (const task of reply.json) stored.set(task.taskId, task);
      next = nextLink(reply.headers);
    }
    let lost = 0;
    let stale = 0;
    for (const [id, want] of known) {
      const got = stored.get(id);
      if (!got) lost++;
      else if (got.version !== want.version || got.status !== want.status) stale++;
    }
    return { lost, stale, phantom: [...stored.keys()].filter((id) => !known.has(id)).length };
  }

  return { step, verify, known };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const tokens = Array.from({ length: clients }, () => randomToken());
const principals = Object.fromEntries(tokens.map((token, i) => [`soak${i}`, token]));
const server = await startLocalServer({ env: { API_TOKENS: JSON.stringify(principals), ACCESS_LOG: 'off' } });
console.log(`soak: ${clients} clients for ${seconds} s against ${server.baseUrl}`);
try {
  const workers = tokens.map((token) => makeClient(server.baseUrl, token));
  const stopAt = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    workers.map(async (client) => {
      while (Date.now() < stopAt)
        await client.step().catch((error: unknown) => void errors.push(String(error)));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const checks = await Promise.all(workers.map((client) => client.verify()));
  const total = (key: 'lost' | 'phantom' | 'stale') => checks.reduce((sum, c) => sum + c[key], 0);
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
  const consistent = total('lost') + total('phantom') + total('stale') === 0;
  const tasks = workers.reduce((sum, client) => sum + client.known.size, 0);
  console.log(
    `requests      ${requests} (${(requests / elapsed).toFixed(0)}/s over ${elapsed.toFixed(1)} s)`,
  );
  console.log(`errors        ${errors.length}`);
  for (const error of errors.slice(0, 10)) console.log(`  ${error}`);
  console.log(`latency       p50 ${ms(50)}, p99 ${ms(99)}, max ${ms(100)}`);
  console.log(
    `final state   ${tasks} tasks; lost ${total('lost')}, phantom ${total('phantom')}, stale ${total('stale')}`,
  );
  console.log(`consistency   ${consistent ? 'OK' : 'FAILED'}`);
  process.exitCode = errors.length === 0 && consistent ? 0 : 1;
} finally {
  await server.destroy();
}
