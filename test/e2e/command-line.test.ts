import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/local-server.js';

/** The repository's own commands: help prints their usage, a wrong option one line and the usage. */
const run = async (script: string, ...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe.each([
  ['bench', 'bench/run.ts'],
  ['soak', 'scripts/soak.ts'],
])('npm run %s', (name, script) => {
  it('prints its usage with --help and starts nothing', async () => {
    const { code, stdout, stderr } = await run(script, '--help');

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage: npm run ${name} -- \\[`));
    expect(stdout).toContain('--seconds N');
    expect(stderr).toBe('');
  });

  it('answers an unknown option with one line and the usage, no stack trace, and exits 2', async () => {
    const { code, stdout, stderr } = await run(script, '--nope');

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(new RegExp(`^npm run ${name}: Unknown option '--nope'`));
    expect(stderr).toContain(`usage: npm run ${name}`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a count that is not a positive number', async () => {
    const { code, stderr } = await run(script, '--seconds', 'abc');

    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`npm run ${name}: --seconds must be a positive number, not "abc"`);
  });
});
