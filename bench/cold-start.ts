/**
 * The cold-start proxy: each deployed bundle's size and the median time a fresh `node` takes to import it,
 * with the stack's environment, against a bare `node`. Runs are interleaved so drift hits all alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BundleOptions, bundleEntry, type EntryName, writeBundle } from '../scripts/bundle.js';
import { ROOT } from './processes.js';

/** What the API stack gives the functions (the values are placeholders of the same shape). */
const STACK_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_SESSION_TOKEN: 'example',
  AWS_LAMBDA_FUNCTION_NAME: 'task-service-tasks',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  POWERTOOLS_SERVICE_NAME: 'task-service',
  POWERTOOLS_METRICS_NAMESPACE: 'TaskService',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps=false',
  TABLE_NAME: 'tasks',
  AUTH_MODE: 'token',
  API_TOKEN: 'a-token-of-the-usual-length-000000',
};

export interface ColdStartRow {
  readonly name: string;
  readonly bytes: number;
  readonly medianMs: number;
  readonly ratio: number;
}

const VARIANTS: { name: string; entry: EntryName; options?: BundleOptions }[] = [
  { name: 'tasks (aws-lite, deployed)', entry: 'tasks' },
  {
    name: 'tasks (AWS SDK v3 variant)',
    entry: 'tasks',
    options: { substitute: { from: 'src/store/aws-lite-ops.ts', to: 'bench/variants/sdk-ops.ts' } },
  },
  { name: 'authorizer (deployed)', entry: 'authorizer' },
];

function timeImport(file: string | undefined, cpuProfDir?: string): number {
  const env = { PATH: process.env.PATH ?? '', ...STACK_ENV };
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const args = file
    ? [...profile, '--input-type=module', '-e', `await import(${JSON.stringify(file)})`]
    : ['-e', '0'];
  const started = performance.now();
  execFileSync(process.execPath, args, { env, stdio: 'ignore' });
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

export async function measureColdStart(
  runs: number,
  cpuProf: boolean,
): Promise<{ bareMs: number; rows: ColdStartRow[] }> {
  const dir = join(ROOT, '.tmp', 'bench-bundles');
  mkdirSync(dir, { recursive: true });
  const built = await Promise.all(
    VARIANTS.map(async (variant, i) => {
      const bundle = await bundleEntry(variant.entry, variant.options);
      return { ...variant, bytes: bundle.bytes, file: writeBundle(dir, `${variant.entry}-${i}`, bundle) };
    }),
  );
  for (const b of built) timeImport(b.file); // warm the file cache; a failing import stops here
  const bare: number[] = [];
  const times = built.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    bare.push(timeImport(undefined));
    for (const [i, b] of built.entries()) times[i]?.push(timeImport(b.file));
  }
  if (cpuProf) for (const b of built) timeImport(b.file, join(ROOT, '.tmp', 'profiles', b.entry));
  const bareMs = median(bare);
  return {
    bareMs,
    rows: built.map((b, i) => {
      const medianMs = median(times[i] ?? []);
      return { name: b.name, bytes: b.bytes, medianMs, ratio: medianMs / bareMs };
    }),
  };
}
