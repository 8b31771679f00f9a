/** Starts the servers under test as child processes, each with its own embedded dynalite on disk. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

export interface RunningServer {
  readonly baseUrl: string;
  /** CPU time the server process has used so far (Linux: from /proc), or NaN where that is not known. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process, in milliseconds, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function startProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'task-bench-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const baseUrl = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${script} did not start:\n${output}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep draining: the access log must never block the server under load.
      if (output.length < 10_000) output += chunk;
      const match = ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (output.length < 10_000) output += chunk;
    });
    child.once('exit', (code) => fail(new Error(`${script} exited (${code}):\n${output}`)));
  });
  return {
    baseUrl,
    cpuMs: () => cpuMsOf(child.pid),
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
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
    { PORT: '0', HOST: '127.0.0.1', APP_PORT: 'off', API_TOKENS: JSON.stringify(tokens), ...env },
    /Task API listening on (http:\/\/\S+)/,
  );
}

export function startFloor(): Promise<RunningServer> {
  return startProcess('bench/floor-server.ts', {}, /Floor listening on (http:\/\/\S+)/);
}
