/**
 * The cold-start proxy, per bundle and per Node version: each deployed bundle's size; the time a fresh
 * `node` takes to import it; and the time a fresh `node` takes to import the task bundle and answer one
 * GET by id against a local dynalite (in the same process, as Lambda's first invocation would). Each run
 * pairs a bundle with a bare `node -e 0` started just before it, and the ratio quoted is the median of those
 * pair ratios, so load drifting on a shared machine hits both sides of each ratio alike. The child gets only
 * the environment the stack gives the function (placeholders of the same shape), as in Lambda.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BundleOptions, bundleEntry, type EntryName, writeBundle } from '../scripts/bundle.js';
import { eventFor } from './handler-cpu.js';
import { ROOT } from './processes.js';

const STACK_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_SESSION_TOKEN: 'example',
  AWS_LAMBDA_FUNCTION_NAME: 'task-service-tasks',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  POWERTOOLS_SERVICE_NAME: 'task-service',
  POWERTOOLS_METRICS_NAMESPACE: 'TaskService',
  TABLE_NAME: 'tasks',
  CURSOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor-key-AbCdEf',
  AUTH_MODE: 'token',
  TOKENS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tokens-AbCdEf',
};

/** What issue 15 asks of the deployed runtime (Node 24): ratios to bare `node -e 0`, and milliseconds. */
export const COLD_START_BUDGETS = Object.freeze({ taskRatio: 2.0, authorizerRatio: 1.6, firstGetMs: 68 });

export interface ColdStartBundle {
  readonly name: string;
  readonly entry: EntryName;
  readonly options?: BundleOptions;
  /** An already built bundle (e.g. an earlier version's, for a before/after table). */
  readonly file?: string;
}

export interface ColdStartRow {
  readonly node: string;
  readonly name: string;
  readonly bytes: number;
  readonly importMs: number;
  readonly importRatio: number;
  /** Import plus one GET by id: task bundles only. */
  readonly firstGetMs?: number;
  readonly firstGetRatio?: number;
}

/** Every distinct Node on this machine: this process's, the project's `node` package, and PATH's. */
export function nodeBinaries(): { version: string; path: string }[] {
  const candidates = [
    process.execPath,
    join(ROOT, 'node_modules', 'node', 'bin', 'node'),
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')),
  ];
  const byVersion = new Map<string, string>();
  for (const path of candidates.filter(existsSync)) {
    const version = execFileSync(path, ['-v'], { encoding: 'utf8' }).trim();
    if (!byVersion.has(version)) byVersion.set(version, path);
  }
  return [...byVersion]
    .map(([version, path]) => ({ version, path }))
    .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }));
}

/** Imports the bundle, answers `argv[2]` (an event) with it, and exits: Lambda's first invocation. */
const FIRST_REQUEST = `
const [file, event] = process.argv.slice(1);
const { handler } = await import(file);
const context = { functionName: 'task-service-tasks', awsRequestId: 'bench-first-request' };
const reply = await handler(JSON.parse(event), context);
if (reply.statusCode !== 200) { console.error(reply.statusCode, reply.body); process.exit(2); }
process.exit(0);`;

function run(node: string, args: string[], env: Record<string, string>): number {
  const started = performance.now();
  execFileSync(node, args, { env: { PATH: process.env.PATH ?? '', ...STACK_ENV, ...env }, stdio: 'ignore' });
  return performance.now() - started;
}

const importArgs = (file: string) => ['--input-type=module', '-e', `await import(${JSON.stringify(file)})`];
const firstGetArgs = (file: string, event: string) => [
  '--input-type=module',
  '-e',
  FIRST_REQUEST,
  file,
  event,
];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

export interface FirstGet {
  /** A GET /tasks/{taskId} event for a task that exists behind `endpoint`. */
  readonly event: string;
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * A local dynalite holding one task, created by the current task bundle in a process of its own, and the
 * GET event for it: what each measured process answers.
 */
/**
 * dynalite in a process of its own: the timed runs block this one (`execFileSync`), and a store in this
 * process could not answer them.
 */
async function startDynaliteProcess(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const code = `
const { ensureTable, startLocalDynamo } = await import(${JSON.stringify(join(ROOT, 'src', 'local', 'dynamo-local.ts'))});
const dynamo = await startLocalDynamo();
await ensureTable(dynamo.endpoint, ${JSON.stringify(STACK_ENV.TABLE_NAME)});
console.log(dynamo.endpoint);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((done, fail) => {
    child.stdout.setEncoding('utf8').once('data', (line: string) => done(line.trim()));
    child.once('exit', (status) => fail(new Error(`dynalite exited (${status})`)));
  });
  return {
    endpoint,
    close: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function prepareFirstGet(): Promise<FirstGet> {
  const dynamo = await startDynaliteProcess();
  const dir = join(ROOT, '.tmp', 'bench-bundles');
  const file = writeBundle(dir, 'tasks-seed', await bundleEntry('tasks'));
  const create = `
const [file, event] = process.argv.slice(1);
const { handler } = await import(file);
const reply = await handler(JSON.parse(event), { functionName: 'seed', awsRequestId: 'seed' });
process.stdout.write(reply.body);
process.exit(reply.statusCode === 201 ? 0 : 2);`;
  const post = JSON.stringify(eventFor('POST', '/tasks', '/tasks', { title: 'the first request reads me' }));
  const created = execFileSync(process.execPath, ['--input-type=module', '-e', create, file, post], {
    env: {
      PATH: process.env.PATH ?? '',
      ...STACK_ENV,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  const { taskId } = JSON.parse(created) as { taskId: string };
  return {
    event: JSON.stringify(eventFor('GET', `/tasks/${taskId}`, '/tasks/{taskId}')),
    endpoint: dynamo.endpoint,
    close: () => dynamo.close(),
  };
}

export async function measureColdStart(
  bundles: readonly ColdStartBundle[],
  firstGet: Omit<FirstGet, 'close'>,
  runs: number,
  cpuProf: boolean,
): Promise<{ bare: Record<string, number>; rows: ColdStartRow[] }> {
  const dir = join(ROOT, '.tmp', 'bench-bundles');
  mkdirSync(dir, { recursive: true });
  const built = await Promise.all(
    bundles.map(async (b, i) => {
      if (b.file) return { ...b, file: b.file, bytes: statSync(b.file).size };
      const bundle = await bundleEntry(b.entry, b.options);
      return { ...b, bytes: bundle.bytes, file: writeBundle(dir, `${b.entry}-${i}`, bundle) };
    }),
  );
  const local = { DYNAMODB_ENDPOINT: firstGet.endpoint };
  const bare: Record<string, number> = {};
  const rows: ColdStartRow[] = [];
  for (const node of nodeBinaries()) {
    // Warm the file cache; a bundle that fails to import or to answer stops the bench here.
    for (const b of built) {
      run(node.path, importArgs(b.file), {});
      if (b.entry === 'tasks') run(node.path, firstGetArgs(b.file, firstGet.event), local);
    }
    const bareMs: number[] = [];
    const times = built.map(() => ({
      imp: [] as number[],
      impRatio: [] as number[],
      get: [] as number[],
      getRatio: [] as number[],
    }));
    for (let i = 0; i < runs; i++) {
      for (const [j, b] of built.entries()) {
        const t = times[j];
        if (!t) continue;
        const base = run(node.path, ['-e', '0'], {});
        bareMs.push(base);
        const imp = run(node.path, importArgs(b.file), {});
        t.imp.push(imp);
        t.impRatio.push(imp / base);
        if (b.entry !== 'tasks') continue;
        const get = run(node.path, firstGetArgs(b.file, firstGet.event), local);
        t.get.push(get);
        t.getRatio.push(get / base);
      }
    }
    if (cpuProf)
      for (const b of built)
        run(
          node.path,
          [
            '--cpu-prof',
            `--cpu-prof-dir=${join(ROOT, '.tmp', 'profiles', node.version)}`,
            ...importArgs(b.file),
          ],
          {},
        );
    bare[node.version] = median(bareMs);
    for (const [j, b] of built.entries()) {
      const t = times[j];
      if (!t) continue;
      rows.push({
        node: node.version,
        name: b.name,
        bytes: b.bytes,
        importMs: median(t.imp),
        importRatio: median(t.impRatio),
        ...(t.get.length > 0 && { firstGetMs: median(t.get), firstGetRatio: median(t.getRatio) }),
      });
    }
  }
  return { bare, rows };
}
