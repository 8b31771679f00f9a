/** Starts the servers under test as child processes, each with its own embedded dynalite on disk. */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNLIMITED_PRINCIPALS } from '../test/support/local-server.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

export interface RunningServer {
  readonly baseUrl: string;
  /** CPU time the server process has used so far (Linux: from /proc), or NaN where that is not known. */
  cpuMs(): number;
  /** Each thread's CPU time so far by thread id (Linux), empty where that is not known. */
  threadCpuMs(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/** utime + stime of a process or thread, in milliseconds, from its `stat` file (clock ticks of 10 ms). */
function cpuMsOf(statFile: string): number {
  try {
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Per thread: the main thread, dynalite's worker thread, V8's and libuv's helpers. */
function threadCpuMsOf(pid: number | undefined): Map<string, number> {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return new Map(tasks.map((tid) => [tid, cpuMsOf(`/proc/${pid}/task/${tid}/stat`)]));
  } catch {
    return new Map();
  }
}

/**
 * Starts `script` with its output going to a file, as a log shipper would take it: through a pipe, a busy
 * benchmark process (it also runs the load generator) would drain the logs late, and on Linux a write to a
 * full pipe blocks the server, which the floor, logging nothing, would never pay.
 */
async function startProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'task-bench-'));
  const logPath = join(dataDir, 'output.log');
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const output = () => readFileSync(logPath, 'utf8').slice(0, 10_000);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const started = Date.now();
  let baseUrl: string | undefined;
  while (!baseUrl) {
    if (exited !== undefined) throw new Error(`${script} exited (${exited}):\n${output()}`);
    if (Date.now() - started > 30_000) throw new Error(`${script} did not start:\n${output()}`);
    await new Promise((done) => setTimeout(done, 50));
    baseUrl = ready.exec(output())?.[1];
  }
  return {
    baseUrl,
    cpuMs: () => cpuMsOf(`/proc/${child.pid}/stat`),
    threadCpuMs: () => threadCpuMsOf(child.pid),
    stop: async () => {
      if (exited === undefined) {
        const gone = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `npm start` without the web app: the local API Gateway, both Lambda entry files and dynalite (or the store `env` names). */
export function startService(
  tokens: Record<string, string>,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  return startProcess(
    'src/local/server.ts',
    {
      PORT: '0',
      HOST: '127.0.0.1',
      APP_PORT: 'off',
      API_TOKENS: JSON.stringify(tokens),
      ...UNLIMITED_PRINCIPALS,
      ...env,
    },
    /Task API listening on (http:\/\/\S+)/,
  );
}

/** The floor (`bench/floor-server.ts`); `{ FLOOR_GATEWAY: 'on' }` puts the local gateway in front. */
export function startFloor(env: Record<string, string> = {}): Promise<RunningServer> {
  return startProcess('bench/floor-server.ts', env, /Floor listening on (http:\/\/\S+)/);
}
