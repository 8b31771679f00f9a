/**
 * Fairness under a flood (issue 25): one principal sends as fast as its connections go while another works
 * at a steady pace within its budget, against `npm start` with the default per-principal limits. Reports
 * the flooder's 429s, the worker's (none expected), and the worker's p99 beside the flood against alone.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type autocannon from 'autocannon';

export interface FairnessTarget {
  readonly baseUrl: string;
  readonly flooderToken: string;
  readonly workerToken: string;
}

export interface Run {
  readonly requests: number;
  readonly ok: number;
  readonly throttled: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** One round: the worker alone, then the worker beside the flood. */
export interface FairnessRound {
  readonly flooder: Run;
  readonly alone: Run;
  readonly flooded: Run;
}

type Result = Awaited<ReturnType<typeof autocannon>>;
const runOf = (result: Result): Run => ({
  requests: result.requests.total,
  ok: result.statusCodeStats['200']?.count ?? 0,
  throttled: result.statusCodeStats['429']?.count ?? 0,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
});

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/**
 * The worker: a GET of its own task by id, sent on a fixed schedule of `rate` a second whatever the answers
 * (open loop), so a slow answer shows in the latency instead of delaying the requests after it.
 */
async function work(token: string, url: string, rate: number, seconds: number): Promise<Run> {
  const started = performance.now();
  const replies: Promise<{ status: number; ms: number }>[] = [];
  for (let i = 0; i < Math.round(rate * seconds); i++) {
    const due = started + (i * 1000) / rate;
    await new Promise((done) => setTimeout(done, Math.max(0, due - performance.now())));
    const sent = performance.now();
    replies.push(
      fetch(url, { headers: { Authorization: token } }).then(async (response) => {
        await response.arrayBuffer();
        return { status: response.status, ms: performance.now() - sent };
      }),
    );
  }
  const answered = await Promise.all(replies);
  const ms = answered.map((reply) => reply.ms).sort((a, b) => a - b);
  return {
    requests: answered.length,
    ok: answered.filter((reply) => reply.status === 200).length,
    throttled: answered.filter((reply) => reply.status === 429).length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
  };
}

/**
 * The flooder, in a process of its own: in the bench's process its thousands of requests a second would
 * delay the worker's client too, and the worker's latency would measure the bench, not the server.
 */
function flood(url: string, token: string, connections: number, seconds: number): Promise<Result> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [cli, '-j', '-c', String(connections), '-d', String(seconds)];
  const child = spawn(process.execPath, [...args, '-H', `Authorization=${token}`, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((done, fail) =>
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) done(JSON.parse(last) as Result);
      else fail(new Error(`The flooder exited with ${code}: ${out.slice(-500)}`));
    }),
  );
}

export async function measureFairness(
  target: FairnessTarget,
  options: { seconds: number; connections: number; workerRate: number; rounds: number },
): Promise<FairnessRound[]> {
  const { seconds, connections, workerRate } = options;
  const created = await fetch(`${target.baseUrl}/tasks`, {
    method: 'POST',
    headers: { Authorization: target.workerToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'the worker’s task' }),
  });
  if (created.status !== 201) throw new Error(`Seeding the worker's task: ${created.status}`);
  const taskUrl = `${target.baseUrl}/tasks/${((await created.json()) as { taskId: string }).taskId}`;
  await work(target.workerToken, taskUrl, workerRate, 2); // warm-up: connections, caches, JIT
  const rounds: FairnessRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const alone = await work(target.workerToken, taskUrl, workerRate, seconds);
    const [flooder, flooded] = await Promise.all([
      flood(`${target.baseUrl}/tasks`, target.flooderToken, connections, seconds),
      work(target.workerToken, taskUrl, workerRate, seconds),
    ]);
    rounds.push({ flooder: runOf(flooder), alone, flooded });
    // The flooder's bucket refills before the next round's worker runs alone.
    await new Promise((done) => setTimeout(done, 1000));
  }
  return rounds;
}
