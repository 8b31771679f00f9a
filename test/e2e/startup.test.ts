import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/local/data-lock.js';
import { call } from '../support/http.js';
import { newDataDir, REPO_ROOT, startLocalServer } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/** `npm start` that is expected to stop before it listens: its exit code and what it wrote. */
function startExpectingExit(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/local/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      APP_PORT: 'off',
      API_TOKEN: 'x'.repeat(20),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** One line, and no stack trace. */
const expectOneLine = (stderr: string, pattern: RegExp) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
};

describe('a second npm start', () => {
  const first = useLocalServer();
  const others: string[] = [];
  afterAll(async () => {
    await Promise.all(others.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('on the same DATA_DIR stops with one line naming the folder, its owner and what to set', async () => {
    const second = await startExpectingExit({ DATA_DIR: first.dataDir });

    expect(second.code).toBe(1);
    expectOneLine(
      second.stderr,
      new RegExp(`DATA_DIR \\S+ is in use by another npm start \\(pid ${first.child.pid}\\).*set DATA_DIR`),
    );
    expect((await call(`${first.baseUrl}/tasks`, 'GET', { token: first.token })).status).toBe(200);
  });

  it('on the same PORT stops with one line naming the port and what to set', async () => {
    const dataDir = newDataDir();
    others.push(dataDir);
    const port = new URL(first.baseUrl).port;

    const second = await startExpectingExit({ DATA_DIR: dataDir, PORT: port });

    expect(second.code).toBe(1);
    expectOneLine(second.stderr, new RegExp(`PORT ${port} on 127\\.0\\.0\\.1 is in use.*set PORT`));
  });
});

describe('npm start', () => {
  it('takes over a lock its owner left behind when it died', async () => {
    const dataDir = newDataDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => gone.once('exit', done));
    writeFileSync(join(dataDir, LOCK_FILE), `${gone.pid}\n`);

    const server = await startLocalServer({ dataDir });
    try {
      expect((await call(`${server.baseUrl}/tasks`, 'GET', { token: server.token })).status).toBe(200);
    } finally {
      await server.destroy();
    }
  });

  it('stops with one line, no stack trace, on a bad setting', async () => {
    const dataDir = newDataDir();
    try {
      const run = await startExpectingExit({ DATA_DIR: dataDir, AUTH_MODE: 'jwtt' });

      expect(run.code).toBe(1);
      expectOneLine(run.stderr, /^npm start: Invalid local configuration: AUTH_MODE: /);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start with LOG_FORMAT=short (the default at a terminal)', () => {
  const server = useLocalServer({ env: { LOG_FORMAT: 'short', LOG_LEVEL: 'INFO' } });

  it('prints one line per request: method, path, status and milliseconds, and no JSON', async () => {
    const before = server.stdout().length;
    await call(`${server.baseUrl}/tasks?limit=5`, 'GET', { token: server.token });
    await call(`${server.baseUrl}/tasks/nope`, 'GET', { token: 'wrong' });
    await new Promise((done) => setTimeout(done, 200)); // stdout lags the response

    const lines = server.stdout().slice(before).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^GET \/dev\/tasks\?limit=5 200 \d+\.\d ms$/);
    expect(lines[1]).toMatch(/^GET \/dev\/tasks\/nope 401 \d+\.\d ms$/);
  });
});

/** util-linux `script` gives the server a pseudo-terminal as its stdout, as a person's shell would. */
describe.runIf(process.platform === 'linux' && existsSync('/usr/bin/script'))(
  'npm start at a terminal',
  () => {
    it('prints one short line per request by default', async () => {
      const dataDir = newDataDir();
      const token = 'tty-token-0123456789';
      const command = `${process.execPath} --import tsx src/local/server.ts`;
      const child = spawn('/usr/bin/script', ['-qefc', command, '/dev/null'], {
        cwd: REPO_ROOT,
        env: { ...process.env, PORT: '0', APP_PORT: 'off', DATA_DIR: dataDir, API_TOKEN: token },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      const waitFor = async (pattern: RegExp) => {
        for (let i = 0; i < 300 && !pattern.test(out); i++)
          await new Promise((done) => setTimeout(done, 100));
        return pattern.exec(out);
      };
      try {
        const baseUrl = (await waitFor(/Task API listening on (http:\/\/\S+)/))?.[1] ?? '';
        await call(`${baseUrl}/tasks`, 'GET', { token });

        expect(await waitFor(/^GET \/dev\/tasks 200 \d+\.\d ms\r?$/m)).not.toBeNull();
        expect(out).not.toContain('"Request handled"');
      } finally {
        child.kill('SIGTERM'); // closing the terminal hangs the server up
        await new Promise((done) => child.once('exit', done));
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  },
);
