/**
 * `npm run bench`: prints the results table and writes it, with the machine's details, to bench/results.md.
 * Long on purpose (~390 lines): the one place that runs the sections in order and writes their tables;
 * each measurement lives in a module of its own (throughput.ts, cold-start.ts, cost.ts, …).
 *   --seconds N        seconds per load run (default 5)
 *   --connections N    autocannon connections (default 10)
 *   --rounds N         throughput runs per scenario and server, alternating (default 3); medians reported
 *   --large N          tasks of the large owner in the list-scaling run (default 5000)
 *   --runs N           fresh-node imports per bundle (default 15)
 *   --samples N        sequential requests per list-scaling p50 (default 300)
 *   --only a,b         sections: throughput, scaling, coldstart, cpu, cost, breakdown, fairness (others keep their figures)
 *   --cpu-prof         also write a --cpu-prof profile of each bundle's import under .tmp/profiles
 *   --before DIR       also time DIR/tasks.mjs and DIR/authorizer.mjs (bundles of an earlier version)
 *   --base-url URL --token T   run the load profile against a deployed stage instead (no floor)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { readCommandLine } from '../scripts/command-line.js';
import { VARIABLES } from '../src/settings/variables.js';
import { COLD_START_BUDGETS, type ColdStartBundle, measureColdStart, prepareFirstGet } from './cold-start.js';
import { reportCost } from './cost-report.js';
import { type FairnessRound, measureFairness } from './fairness.js';
import { measureHandlerCpu } from './handler-cpu.js';
import { ROOT, type RunningServer, startFloor, startService } from './processes.js';
import {
  measureListScaling,
  measureRound,
  medianRuns,
  type RoundResult,
  summarizeRounds,
} from './throughput.js';

const USAGE = `usage: npm run bench -- [options]
  --seconds N        seconds per load run (default 5)
  --connections N    autocannon connections (default 10)
  --rounds N         throughput runs per scenario and server, alternating (default 3); medians reported
  --large N          tasks of the large owner in the list-scaling run (default 5000)
  --runs N           fresh-node imports per bundle (default 15)
  --samples N        sequential requests per list-scaling p50 (default 300)
  --only a,b         sections: throughput, scaling, coldstart, cpu, cost, breakdown, fairness (others keep their figures)
  --cpu-prof         also write a --cpu-prof profile of each bundle's import under .tmp/profiles
  --before DIR       also time DIR/tasks.mjs and DIR/authorizer.mjs (bundles of an earlier version)
  --base-url URL --token T   run the load profile against a deployed stage instead (no floor)
  -h, --help         this text`;
const SECTIONS = ['throughput', 'scaling', 'coldstart', 'cpu', 'cost', 'breakdown', 'fairness'];
const COUNTS = ['seconds', 'connections', 'rounds', 'large', 'runs', 'samples'] as const;

const { values: args, fail: usageError } = readCommandLine('bench', USAGE, {
  seconds: { type: 'string', default: '5' },
  connections: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '3' },
  large: { type: 'string', default: '5000' },
  runs: { type: 'string', default: '15' },
  samples: { type: 'string', default: '300' },
  only: { type: 'string', default: SECTIONS.join(',') },
  'cpu-prof': { type: 'boolean', default: false },
  before: { type: 'string' },
  'base-url': { type: 'string' },
  token: { type: 'string' },
});
for (const name of COUNTS)
  if (!(Number(args[name]) > 0)) usageError(`--${name} must be a positive number, not "${args[name]}"`);
const unknown = args.only.split(',').filter((section) => !SECTIONS.includes(section));
if (unknown.length > 0)
  usageError(`--only: no section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const sections = new Set(args.only.split(','));
const out: string[] = [];
const say = (line = '') => {
  console.log(line);
  out.push(line);
};
const f = (n: number, digits = 0) => n.toFixed(digits);
const table = (head: string[], rows: string[][]) => {
  say(`| ${head.join(' | ')} |`);
  say(`|${head.map(() => ' --- ').join('|')}|`);
  for (const row of rows) say(`| ${row.join(' | ')} |`);
  say();
};

const cpu = cpus()[0];
say(`# Benchmark results`);
say();
say(
  `${new Date().toISOString()} · Node ${process.version} · ${platform()} ${release()} · ${cpus().length} × ${cpu?.model ?? 'unknown CPU'} · ${f(totalmem() / 2 ** 30, 1)} GiB · load ${loadavg()
    .map((l) => f(l, 2))
    .join(' ')}`,
);
say(
  `Settings: ${seconds} s per load run, ${args.rounds} rounds, ${connections} connections, ${args.large} tasks in the large list, ${args.runs} imports per bundle.`,
);
say();

if (args['base-url']) {
  say(`## Load profile against ${args['base-url']}`);
  say();
  const rows = summarizeRounds([
    await measureRound([{ baseUrl: args['base-url'], token: args.token }], connections, seconds),
  ]);
  table(
    ['request', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
    rows.map((r) => [
      r.scenario,
      f(r.service.requestsPerSecond),
      f(r.service.p50Ms, 1),
      f(r.service.p99Ms, 1),
      f(r.service.errors),
    ]),
  );
} else {
  const tokens = {
    bench: randomBytes(18).toString('base64url'),
    large: randomBytes(18).toString('base64url'),
  };
  /**
   * `--rounds` rounds of `measureRound` against the servers `starts` makes, started afresh every round
   * and stopped after it: one process's CPU per request differs from the next one's, started the same
   * way, by more than the service differs from the floor, so one set of processes is luck.
   */
  const freshRounds = async (starts: (() => Promise<RunningServer>)[], only?: readonly string[]) => {
    const rounds: RoundResult[][] = [];
    for (let round = 0; round < Number(args.rounds); round++) {
      const running: RunningServer[] = [];
      try {
        for (const start of starts) running.push(await start());
        const targets = running.map(({ baseUrl, cpuMs, threadCpuMs }) => ({
          baseUrl,
          token: tokens.bench,
          cpuMs,
          threadCpuMs,
        }));
        rounds.push(await measureRound(targets, connections, seconds, round, only));
      } finally {
        for (const server of running) await server.stop();
      }
    }
    return rounds;
  };
  if (sections.has('throughput') || sections.has('scaling')) {
    if (sections.has('throughput')) {
      say(`## 1. Local throughput against the floor (${connections} connections)`);
      say();
      const rounds = await freshRounds([() => startService(tokens), () => startFloor()]);
      table(
        [
          'request',
          'service req/s',
          'p50 / p99 ms',
          'floor req/s',
          'p50 / p99 ms',
          'ratio (goal ≥ 0.6)',
          'CPU µs/req service / floor',
          'CPU ratio',
          'busiest thread µs/req service / floor',
          'thread ratio',
          'errors',
        ],
        summarizeRounds(rounds).map((r) => [
          r.scenario,
          f(r.service.requestsPerSecond),
          `${f(r.service.p50Ms, 1)} / ${f(r.service.p99Ms, 1)}`,
          f(r.floor?.requestsPerSecond ?? 0),
          `${f(r.floor?.p50Ms ?? 0, 1)} / ${f(r.floor?.p99Ms ?? 0, 1)}`,
          f(r.ratio ?? Number.NaN, 2),
          `${f(r.service.cpuMicrosPerRequest)} / ${f(r.floor?.cpuMicrosPerRequest ?? Number.NaN)}`,
          f(r.cpuRatio ?? Number.NaN, 2),
          `${f(r.service.busiestThreadMicrosPerRequest)} / ${f(r.floor?.busiestThreadMicrosPerRequest ?? Number.NaN)}`,
          f(r.threadRatio ?? Number.NaN, 2),
          f(r.service.errors + (r.floor?.errors ?? 0)),
        ]),
      );
      say(
        `Each figure is the median of ${args.rounds} rounds; each round starts both servers afresh and runs them back to back, the order alternating, and a ratio is the median of the rounds' pair ratios. The floor is the bare limit: node:http and one unsigned DynamoDB request (a hand-written GetItem for a GET by id, the store adapter's own request otherwise), on dynalite hosted as \`npm start\` hosts it (on a worker thread). CPU ratio: floor CPU per request ÷ service CPU per request, each server process measured alone (all its threads, dynalite's included); unlike req/s it does not follow the load of other processes. Thread ratio: the same for each server's busiest thread, which bounds req/s on a machine with a core free for each: the ratio to expect on an idle machine with enough cores.`,
      );
      say();
    }
    const service = sections.has('scaling') ? await startService(tokens) : undefined;
    try {
      if (service) {
        say(`## 2. List scaling: p50 of a limit=20 list, an owner with 60 tasks vs one with ${args.large}`);
        say();
        const rows = await measureListScaling(
          { baseUrl: service.baseUrl, token: tokens.bench },
          { baseUrl: service.baseUrl, token: tokens.large },
          Number(args.large),
          Number(args.samples),
        );
        table(
          ['query', 'small owner p50 ms', 'large owner p50 ms', 'ratio (goal ≤ 1.2)'],
          rows.map((r) => [
            r.query,
            f(r.smallP50Ms, 2),
            f(r.largeP50Ms, 2),
            f(r.largeP50Ms / r.smallP50Ms, 2),
          ]),
        );
      }
    } finally {
      await service?.stop();
    }
  }
  if (sections.has('coldstart')) {
    const { taskRatio, authorizerRatio, firstGetMs } = COLD_START_BUDGETS;
    say('## 3. Cold start: bundle size, fresh-node import, and import plus a first GET by id, per Node');
    say();
    say(
      `Budgets: tasks ≤ ${f(taskRatio, 1)}× and authorizer ≤ ${f(authorizerRatio, 1)}× bare node on the deployed runtime (Node 24); import plus first GET ≤ ${firstGetMs} ms there. Ratios are medians of per-pair ratios against a bare \`node -e 0\` run just before.`,
    );
    say();
    const bundles: ColdStartBundle[] = [
      { name: 'tasks', entry: 'tasks' },
      {
        name: 'tasks (AWS SDK v3 variant)',
        entry: 'tasks',
        options: { substitute: { from: 'src/store/dynamo-http-ops.ts', to: 'bench/variants/sdk-ops.ts' } },
      },
      { name: 'authorizer', entry: 'authorizer' },
      ...(args.before
        ? (['tasks', 'authorizer'] as const).map((entry) => ({
            name: `${entry} (before)`,
            entry,
            file: resolve(args.before as string, `${entry}.mjs`),
          }))
        : []),
    ];
    if (args.before)
      say(
        `"(before)" rows: the bundles in ${args.before}, built from an earlier commit (docs/performance.md).`,
      );
    if (args.before) say();
    const firstGet = await prepareFirstGet();
    try {
      const { bare, rows } = await measureColdStart(bundles, firstGet, Number(args.runs), args['cpu-prof']);
      table(
        ['Node', 'bundle', 'size KB', 'import ms', '× bare node', 'import + first GET ms', '× bare node'],
        rows.flatMap((r, i) => [
          ...(rows[i - 1]?.node === r.node
            ? []
            : [[r.node, 'bare node', '–', f(bare[r.node] ?? 0, 1), '1.00', '–', '–']]),
          [
            r.node,
            r.name,
            f(r.bytes / 1024, 1),
            f(r.importMs, 1),
            f(r.importRatio, 2),
            r.firstGetMs === undefined ? '–' : f(r.firstGetMs, 1),
            r.firstGetRatio === undefined ? '–' : f(r.firstGetRatio, 2),
          ],
        ]),
      );
    } finally {
      await firstGet.close();
    }
  }
  if (sections.has('cpu')) {
    say('## 4. Handler CPU per request (in-process, in-memory store, goal ≤ 100 µs)');
    say();
    const rows = await measureHandlerCpu(5000);
    table(
      ['route', 'µs / request'],
      rows.map((r) => [r.route, f(r.microsPerRequest, 1)]),
    );
  }
  if (sections.has('cost')) {
    say('## 5. Cost per request: capacity units on DynamoDB Local (`ReturnConsumedCapacity: INDEXES`)');
    say();
    await reportCost({ say, table });
  }
  if (sections.has('breakdown')) {
    say("## 6. Where the service's CPU goes: four servers, each adding one layer to the floor");
    say();
    const layers = [
      { name: 'floor', start: () => startFloor() },
      { name: 'gateway + floor', start: () => startFloor({ FLOOR_GATEWAY: 'on' }) },
      {
        name: 'service, no logs',
        start: () =>
          startService(tokens, {
            ACCESS_LOG: 'off',
            LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
          }),
      },
      { name: 'service', start: () => startService(tokens) },
    ];
    const rounds = await freshRounds(
      layers.map((layer) => layer.start),
      ['GET /tasks/{taskId}', 'POST /tasks'],
    );
    const rows = medianRuns(rounds).map(({ scenario, runs }) => ({
      scenario,
      cpuMicros: runs.map((run) => run.cpuMicrosPerRequest),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
    }));
    table(
      ['request', ...layers.map((layer) => `${layer.name} µs/req`), 'floor ÷ service', 'errors'],
      rows.map((r) => [
        r.scenario,
        ...r.cpuMicros.map((micros, t) =>
          t === 0 ? f(micros) : `${f(micros)} (+${f(micros - (r.cpuMicros[t - 1] ?? 0))})`,
        ),
        f((r.cpuMicros[0] ?? Number.NaN) / (r.cpuMicros.at(-1) ?? Number.NaN), 2),
        f(r.errors),
      ]),
    );
    say(
      `CPU time of each server process per request, the median of ${args.rounds} rounds, each with four fresh processes run in turn (the first rotating). In brackets, what each layer adds to the one before: the local gateway emulation (routing, the cached authorizer's policy, the proxy event, body and response framing); the task function's own work (parsing, validation, preconditions, its telemetry scope, the response) and its store client's (signing, marshalling); and its logging (the access log line and the \`Request handled\` line with its metrics).`,
    );
    say();
  }
}

if (!args['base-url'] && sections.has('fairness')) {
  const rate = VARIABLES.principalRateLimit;
  const burst = VARIABLES.principalBurstLimit;
  say("## 7. Fairness: one principal floods, another works (each principal's own request rate)");
  say();
  const fairnessTokens = {
    flooder: randomBytes(18).toString('base64url'),
    worker: randomBytes(18).toString('base64url'),
  };
  // The default limits, as npm start applies them: the bench's servers otherwise leave principals unlimited.
  const service = await startService(fairnessTokens, {
    [rate.name]: rate.default,
    [burst.name]: burst.default,
  });
  try {
    const fairnessSeconds = Math.max(20, seconds * 4);
    const workerRate = Number(rate.default) * 0.8; // within its budget, near it
    const rounds = await measureFairness(
      { baseUrl: service.baseUrl, flooderToken: fairnessTokens.flooder, workerToken: fairnessTokens.worker },
      {
        seconds: fairnessSeconds,
        connections,
        workerRate,
        rounds: Number(args.rounds),
      },
    );
    const runRow = (name: string, run: FairnessRound['alone'], p: boolean) => [
      name,
      f(run.requests),
      f(run.ok),
      f(run.throttled),
      p ? f(run.p50Ms, 1) : '–',
      p ? f(run.p99Ms, 1) : '–',
    ];
    table(
      ['round', 'principal', 'requests', '200', '429', 'p50 ms', 'p99 ms', 'worker p99 flooded ÷ alone'],
      rounds.flatMap((r, i) => [
        [String(i + 1), ...runRow('flooder', r.flooder, false), ''],
        [String(i + 1), ...runRow('worker, alone', r.alone, true), ''],
        [
          String(i + 1),
          ...runRow('worker, beside the flood', r.flooded, true),
          f(r.flooded.p99Ms / r.alone.p99Ms, 2),
        ],
      ]),
    );
    const ratios = rounds.map((r) => r.flooded.p99Ms / r.alone.p99Ms).sort((a, b) => a - b);
    const workerThrottled = rounds.reduce((sum, r) => sum + r.alone.throttled + r.flooded.throttled, 0);
    say(
      `Median worker p99 beside the flood ÷ alone: **${f(ratios[Math.floor(ratios.length / 2)] ?? Number.NaN, 2)}** (goal ≤ 2); the worker's 429s in all rounds: **${workerThrottled}** (goal 0). Limits ${rate.name}=${rate.default}, ${burst.name}=${burst.default} (the defaults). The flooder: GET /tasks on ${connections} connections as fast as they go, for ${fairnessSeconds} s; the worker: GET of its own task by id at ${workerRate} requests a second (80 % of its budget) on a fixed schedule (open loop, fetch), ${fairnessSeconds} s alone, then ${fairnessSeconds} s beside the flood. The flooder runs in a process of its own (autocannon), the worker in the bench's; both on the machine that runs the server, whose one event loop also answers the flooder's 429s (on AWS the WAF rule refuses them before API Gateway). A round's p99 is its second-slowest of about 160 requests, so one stall moves it: read the rounds together.`,
    );
    say();
  } finally {
    await service.stop();
  }
}

/** Sections by their number (`## 3. …`), so a run with --only replaces just the ones it measured. */
function sectionsOf(text: string): Map<string, string> {
  const parts = text.split(/^(?=## )/m).slice(1);
  return new Map(parts.map((part) => [/^## (\d+)\./.exec(part)?.[1] ?? part, part.trimEnd()]));
}

const file = join(ROOT, 'bench', 'results.md');
const fresh = `${out.join('\n')}\n`;
const kept = args['base-url'] || !existsSync(file) ? new Map() : sectionsOf(readFileSync(file, 'utf8'));
const older = [...kept.keys()].filter((number) => !sectionsOf(fresh).has(number));
for (const [number, text] of sectionsOf(fresh)) kept.set(number, text);
const header = `${fresh.split(/^## /m)[0]?.trimEnd() ?? ''}${older.length > 0 ? `\nSections ${older.join(', ')}: from an earlier run (this one measured only ${args.only}).` : ''}\n\n`;
const merged = [...kept].sort(([a], [b]) => Number(a) - Number(b)).map(([, text]) => text);
writeFileSync(file, args['base-url'] ? fresh : `${header}${merged.join('\n\n')}\n`);
console.log(`Written to ${file}`);
