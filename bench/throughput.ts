/**
 * Local throughput against the floor, list scaling, and the same load profile against a deployed stage.
 */
import { performance } from 'node:perf_hooks';
import { fill, type LoadRequest, type LoadResult, load } from './load.js';

export interface Target {
  readonly baseUrl: string;
  readonly token?: string;
  /** The server process's CPU time so far, when it runs on this machine. */
  readonly cpuMs?: () => number;
  /** Its threads' CPU time so far, by thread id. */
  readonly threadCpuMs?: () => ReadonlyMap<string, number>;
}

/** A load run's figures, with the server's CPU time per request: what bounds throughput on an idle machine. */
export interface Measured extends LoadResult {
  readonly cpuMicrosPerRequest: number;
  /**
   * CPU per request of the server's busiest thread: with dynalite on a thread of its own, what bounds
   * throughput on a machine with a core free for each thread.
   */
  readonly busiestThreadMicrosPerRequest: number;
}

export interface ScenarioRow {
  readonly scenario: string;
  /** Each figure the median over the rounds. */
  readonly service: Measured;
  readonly floor?: Measured;
  /**
   * Medians of each round's service ÷ floor pair: req/s, floor CPU ÷ service CPU per request, and the
   * same for the busiest thread's CPU.
   */
  readonly ratio?: number;
  readonly cpuRatio?: number;
  readonly threadRatio?: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** One figure per field, each the median of the rounds (errors: the total). */
function medianOf(runs: readonly Measured[]): Measured {
  const of = (field: keyof Measured) => median(runs.map((run) => run[field]));
  return {
    requests: of('requests'),
    requestsPerSecond: of('requestsPerSecond'),
    p50Ms: of('p50Ms'),
    p99Ms: of('p99Ms'),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    cpuMicrosPerRequest: of('cpuMicrosPerRequest'),
    busiestThreadMicrosPerRequest: of('busiestThreadMicrosPerRequest'),
  };
}

/**
 * On a shared machine requests per second follow whoever else is busy; CPU time per request does not, and
 * it is what throughput comes down to on an idle machine: the busiest thread's, given a core per thread.
 */
async function measured(target: Target, request: LoadRequest, connections: number, seconds: number) {
  const before = target.cpuMs?.() ?? Number.NaN;
  const threadsBefore = target.threadCpuMs?.() ?? new Map<string, number>();
  const result = await load(request, connections, seconds);
  const cpuMs = (target.cpuMs?.() ?? Number.NaN) - before;
  const threads = [...(target.threadCpuMs?.() ?? new Map<string, number>())].map(
    ([tid, ms]) => ms - (threadsBefore.get(tid) ?? 0),
  );
  const busiestMs = threads.length > 0 ? Math.max(...threads) : Number.NaN;
  return {
    ...result,
    cpuMicrosPerRequest: (cpuMs * 1000) / result.requests,
    busiestThreadMicrosPerRequest: (busiestMs * 1000) / result.requests,
  } satisfies Measured;
}

async function send(target: Target, method: string, path: string, body?: unknown) {
  const response = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: {
      ...(target.token && { Authorization: target.token }),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The four requests of the load profile, against one target with a seeded task. */
async function scenarios(target: Target) {
  for (let i = 0; i < 20; i++) await send(target, 'POST', '/tasks', { title: `seed ${i}` });
  const created = await send(target, 'POST', '/tasks', { title: 'the one' });
  const id: string = created.taskId ?? created.sk;
  const base = { token: target.token };
  return [
    ['GET /tasks/{taskId}', { ...base, method: 'GET', url: `${target.baseUrl}/tasks/${id}` }],
    ['GET /tasks?limit=20', { ...base, method: 'GET', url: `${target.baseUrl}/tasks?limit=20` }],
    ['POST /tasks', { ...base, method: 'POST', url: `${target.baseUrl}/tasks`, body: { title: 'load' } }],
    [
      'PUT /tasks/{taskId}',
      { ...base, method: 'PUT', url: `${target.baseUrl}/tasks/${id}`, body: { title: 'x' } },
    ],
  ] as const;
}

/** One scenario's runs in a round, one per server, in the order the servers were given. */
export interface RoundResult {
  readonly scenario: string;
  readonly runs: readonly Measured[];
}

/**
 * One round: each scenario (or those in `only`) against every server in turn, back to back, the first
 * server rotating from one scenario and round to the next, so that drift in the machine's load and the
 * stores' growth hit all alike.
 */
export async function measureRound(
  targets: readonly Target[],
  connections: number,
  seconds: number,
  round = 0,
  only?: readonly string[],
): Promise<RoundResult[]> {
  const perTarget = [];
  for (const target of targets)
    perTarget.push((await scenarios(target)).filter(([name]) => !only || only.includes(name)));
  const results: RoundResult[] = [];
  for (const [i, [scenario]] of (perTarget[0] ?? []).entries()) {
    const runs: Measured[] = [];
    for (let k = 0; k < targets.length; k++) {
      const t = (k + i + round) % targets.length;
      const request = perTarget[t]?.[i]?.[1];
      const target = targets[t];
      if (request && target) runs[t] = await measured(target, request, connections, seconds);
    }
    results.push({ scenario, runs });
  }
  return results;
}

/** Per scenario and server, the median of each figure over the rounds. */
export function medianRuns(rounds: readonly (readonly RoundResult[])[]) {
  return (rounds[0] ?? []).map(({ scenario, runs }, i) => ({
    scenario,
    runs: runs.map((_, t) => medianOf(rounds.map((round) => round[i]?.runs[t] as Measured))),
  }));
}

/**
 * Rounds against `[service, floor]` (or the service alone): the median figures, and the medians of the
 * rounds' pair ratios.
 */
export function summarizeRounds(rounds: readonly (readonly RoundResult[])[]): ScenarioRow[] {
  return medianRuns(rounds).map(({ scenario, runs: [service, floor] }, i) => {
    const row = { scenario, service: service as Measured };
    if (!floor) return row;
    const pairs = rounds.map((round) => round[i]?.runs as [Measured, Measured]);
    return {
      ...row,
      floor,
      ratio: median(pairs.map(([s, f]) => s.requestsPerSecond / f.requestsPerSecond)),
      cpuRatio: median(pairs.map(([s, f]) => f.cpuMicrosPerRequest / s.cpuMicrosPerRequest)),
      threadRatio: median(
        pairs.map(([s, f]) => f.busiestThreadMicrosPerRequest / s.busiestThreadMicrosPerRequest),
      ),
    };
  });
}

/**
 * One request at a time, timed to the microsecond (autocannon's histogram has 1 ms steps), alternating
 * between the two owners so that drift in the machine's load hits both alike.
 */
async function interleavedP50s(small: Target, large: Target, path: string, samples: number) {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < samples + 20; i++) {
    for (const [side, target] of [small, large].entries()) {
      const started = performance.now();
      await send(target, 'GET', path);
      if (i >= 20) times[side as 0 | 1].push(performance.now() - started); // the first 20 warm up
    }
  }
  const p50 = (values: number[]) => values.sort((x, y) => x - y)[values.length >> 1] ?? Number.NaN;
  return { smallP50Ms: p50(times[0]), largeP50Ms: p50(times[1]) };
}

export interface ScalingRow {
  readonly query: string;
  readonly smallP50Ms: number;
  readonly largeP50Ms: number;
}

/** p50 of a limit=20 list for an owner with 20 tasks and one with `largeCount`, per list shape. */
export async function measureListScaling(
  small: Target,
  large: Target,
  largeCount: number,
  samples: number,
): Promise<ScalingRow[]> {
  const statusOf = (i: number) => (['PENDING', 'IN_PROGRESS', 'DONE'] as const)[i % 3];
  // Every third task is DONE and tagged `focus`; due dates spread over a year; so each shape below lists a
  // full page for both owners.
  const day = (i: number) => new Date(Date.UTC(2030, 0, 1 + (i % 365))).toISOString().slice(0, 10);
  const seed = (target: Target, count: number) =>
    fill(count, 16, (i) =>
      send(target, 'POST', '/tasks', {
        title: `task ${i}`,
        status: statusOf(i),
        dueDate: day(i),
        tags: i % 3 === 2 ? ['focus'] : [],
      }),
    );
  const seededFrom = new Date().toISOString();
  await seed(small, 60); // 20 per status, so each shape lists 20 for the small owner
  await seed(large, largeCount);
  const queries = [
    'limit=20',
    'limit=20&status=PENDING',
    'limit=20&status=DONE',
    'limit=20&tag=focus',
    'limit=20&dueBefore=2031-01-01',
    'limit=20&sort=updatedAt&order=desc',
    'limit=20&status=DONE&sort=updatedAt',
    'limit=20&sort=position',
    'limit=20&sort=dueDate',
    // The change feed last: by then every seeded task has settled (5 s) and is served.
    `limit=20&updatedSince=${seededFrom}`,
  ];
  const rows: ScalingRow[] = [];
  for (const query of queries) {
    rows.push({ query, ...(await interleavedP50s(small, large, `/tasks?${query}`, samples)) });
  }
  return rows;
}
