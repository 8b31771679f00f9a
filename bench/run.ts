/**
 * `npm run bench`: prints the results table and writes it, with the machine's details, to bench/results.md.
 *   --seconds N        seconds per load run (default 5)
 *   --connections N    autocannon connections (default 10)
 *   --large N          tasks of the large owner in the list-scaling run (default 5000)
 *   --runs N           fresh-node imports per bundle (default 15)
 *   --samples N        sequential requests per list-scaling p50 (default 300)
 *   --only a,b         sections: throughput, scaling, coldstart, cpu, cost (the others keep their last figures)
 *   --cpu-prof         also write a --cpu-prof profile of each bundle's import under .tmp/profiles
 *   --base-url URL --token T   run the load profile against a deployed stage instead (no floor)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureColdStart } from './cold-start.js';
import { reportCost } from './cost-report.js';
import { measureHandlerCpu } from './handler-cpu.js';
import { ROOT, startFloor, startService } from './processes.js';
import { measureListScaling, measureThroughput } from './throughput.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    large: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '15' },
    samples: { type: 'string', default: '300' },
    only: { type: 'string', default: 'throughput,scaling,coldstart,cpu,cost' },
    'cpu-prof': { type: 'boolean', default: false },
    'base-url': { type: 'string' },
    token: { type: 'string' },
  },
});
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
  `Settings: ${seconds} s per load run, ${connections} connections, ${args.large} tasks in the large list, ${args.runs} imports per bundle.`,
);
say();

if (args['base-url']) {
  say(`## Load profile against ${args['base-url']}`);
  say();
  const rows = await measureThroughput(
    { baseUrl: args['base-url'], token: args.token },
    undefined,
    connections,
    seconds,
  );
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
  if (sections.has('throughput') || sections.has('scaling')) {
    const tokens = {
      bench: randomBytes(18).toString('base64url'),
      large: randomBytes(18).toString('base64url'),
    };
    const service = await startService(tokens);
    try {
      if (sections.has('throughput')) {
        const floor = await startFloor();
        try {
          say(`## 1. Local throughput against the floor (${connections} connections)`);
          say();
          const rows = await measureThroughput(
            { baseUrl: service.baseUrl, token: tokens.bench },
            { baseUrl: floor.baseUrl },
            connections,
            seconds,
          );
          table(
            [
              'request',
              'service req/s',
              'p50 / p99 ms',
              'floor req/s',
              'p50 / p99 ms',
              'ratio (goal ≥ 0.9)',
              'errors',
            ],
            rows.map((r) => [
              r.scenario,
              f(r.service.requestsPerSecond),
              `${f(r.service.p50Ms, 1)} / ${f(r.service.p99Ms, 1)}`,
              f(r.floor?.requestsPerSecond ?? 0),
              `${f(r.floor?.p50Ms ?? 0, 1)} / ${f(r.floor?.p99Ms ?? 0, 1)}`,
              f(r.service.requestsPerSecond / (r.floor?.requestsPerSecond ?? Number.NaN), 2),
              f(r.service.errors + (r.floor?.errors ?? 0)),
            ]),
          );
        } finally {
          await floor.stop();
        }
      }
      if (sections.has('scaling')) {
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
      await service.stop();
    }
  }
  if (sections.has('coldstart')) {
    say('## 3. Cold-start proxy: bundle size and fresh-node import time with the stack environment');
    say();
    const { bareMs, rows } = await measureColdStart(Number(args.runs), args['cpu-prof']);
    table(
      ['bundle', 'size KB (budget < 500)', 'import median ms', '× bare node (budget ≤ 1.5)'],
      [
        ['bare node', '–', f(bareMs, 1), '1.00'],
        ...rows.map((r) => [r.name, f(r.bytes / 1024, 1), f(r.medianMs, 1), f(r.ratio, 2)]),
      ],
    );
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
