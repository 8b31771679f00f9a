import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_GATEWAY_LIMITS } from '../../src/settings/platform.js';

/** A `npm start` server spawned for a test file: the real entry file, a random port, a private DATA_DIR. */
export interface LocalServer {
  /** e.g. `http://127.0.0.1:41234/dev` */
  readonly baseUrl: string;
  /** The API_TOKEN the server accepts: the one given, a random one passed in, or the one it generated and
   * printed when started with `API_TOKEN: ''`; '' with API_TOKENS or in jwt mode. */
  readonly token: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** `kill -9`: no shutdown hook runs. Waits for the process to be gone. */
  kill9(): Promise<void>;
  /** Stops the server and deletes its DATA_DIR: for a suite's `afterAll`. */
  destroy(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment; `API_TOKENS` or `AUTH_MODE=jwt` suppress the generated `API_TOKEN`. */
  readonly env?: Record<string, string>;
  /** Reuse a data directory (to test persistence across restarts). */
  readonly dataDir?: string;
  readonly timeoutMs?: number;
}

/**
 * Each principal's budget at the most a stage allows: tests and benchmarks drive one token far harder than a
 * person does, so a server they start limits principals only where they ask for it (PRINCIPAL_RATE_LIMIT).
 */
export const UNLIMITED_PRINCIPALS = Object.freeze({
  PRINCIPAL_RATE_LIMIT: String(API_GATEWAY_LIMITS.throttle.rateLimit),
  PRINCIPAL_BURST_LIMIT: String(API_GATEWAY_LIMITS.throttle.burstLimit),
});

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const LISTENING = /Task API listening on (http:\/\/\S+)/;
const PRINTED_TOKEN = /^Authorization token[^:]*: (\S+)/m;

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((done) => setTimeout(done, 20));
  }
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'task-api-e2e-'));
}

export function randomToken(): string {
  return randomBytes(18).toString('base64url');
}

export async function startLocalServer(options: StartOptions = {}): Promise<LocalServer> {
  const dataDir = options.dataDir ?? newDataDir();
  const extra = options.env ?? {};
  const needsToken =
    extra.API_TOKEN === undefined && extra.API_TOKENS === undefined && extra.AUTH_MODE !== 'jwt';
  const token = needsToken ? randomToken() : (extra.API_TOKEN ?? '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    APP_PORT: 'off', // suites that drive the web app pass APP_PORT: '0'
    DATA_DIR: dataDir,
    ACCESS_LOG: 'on',
    LOG_LEVEL: 'ERROR',
    ...UNLIMITED_PRINCIPALS,
    ...(needsToken && { API_TOKEN: token }),
    ...extra,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local/server.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });

  const baseUrl = await new Promise<string>((done, fail) => {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`The server did not start within ${timeoutMs} ms.\nstdout:\n${out}\nstderr:\n${err}`));
    }, timeoutMs);
    const check = () => {
      const url = LISTENING.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        done(url);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(
        new Error(
          `The server exited (${code ?? signal}) before listening.\nstdout:\n${out}\nstderr:\n${err}`,
        ),
      );
    });
  });

  // The token and hint lines follow the listening line; give them a moment to arrive.
  const printed = await waitFor(
    () => PRINTED_TOKEN.exec(out)?.[1] ?? (/^Try:/m.test(out) ? '' : undefined),
    2000,
  );
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    baseUrl,
    token: token || (printed ?? ''),
    dataDir,
    child,
    stdout: () => out,
    stderr: () => err,
    stop: (signal = 'SIGTERM') => stopWith(signal),
    kill9: () => stopWith('SIGKILL'),
    destroy: async () => {
      await stopWith('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An access-log line the server printed, by request id; waits briefly because stdout lags the response. */
export async function accessLogEntry(
  server: LocalServer,
  requestId: string | null,
  timeoutMs = 2000,
): Promise<Record<string, unknown> | undefined> {
  return waitFor(
    () =>
      server
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{"type":"access"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.requestId === requestId),
    timeoutMs,
  );
}
