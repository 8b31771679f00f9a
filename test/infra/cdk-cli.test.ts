import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/functions.js';

const run = promisify(execFile);

describe('the real CDK CLI', () => {
  it('synthesizes both stacks offline through cdk.json, without credentials or notices', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'task-service-cli-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      // No account and no region: the app must synthesize environment-agnostic stacks, as in CI.
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outdir], {
      cwd: REPO_ROOT,
      env,
      timeout: 110_000,
    });
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'TaskService-dev-Api.template.json',
      'TaskService-dev-Table.template.json',
    ]);
  }, 120_000);
});
