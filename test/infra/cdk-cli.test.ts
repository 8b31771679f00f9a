import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SWAGGER_UI_ASSETS } from '../../infra/functions.js';

const run = promisify(execFile);

/** What the app needs to synthesize: the sources and the configuration, with node_modules linked. */
const COPIED = ['cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'infra', 'src', 'openapi'];

describe('the real CDK CLI', () => {
  it('synthesizes and bundles both stacks offline, from a path with a space and non-ASCII characters', async () => {
    // Prepare: a checkout under such a path (the app once compared URLs with paths and produced nothing).
    const checkout = join(mkdtempSync(join(tmpdir(), 'task-service-cli-')), 'my projects', 'tâches été');
    for (const entry of COPIED) cpSync(join(REPO_ROOT, entry), join(checkout, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'junction');
    const outdir = join(checkout, 'cdk.out');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      // No account and no region: the app must synthesize environment-agnostic stacks, as in CI.
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    // Act
    await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', outdir], {
      cwd: checkout,
      env,
      timeout: 170_000,
    });
    // Assess: both templates, and the task bundle with the files its afterBundling hook copies.
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'TaskService-dev-Api.template.json',
      'TaskService-dev-Table.template.json',
    ]);
    const tasksAsset = readdirSync(outdir)
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => join(outdir, entry))
      .find((dir) => existsSync(join(dir, 'swagger-ui')));
    expect(tasksAsset, 'an asset with swagger-ui/').toBeDefined();
    for (const file of SWAGGER_UI_ASSETS)
      expect(existsSync(join(tasksAsset ?? '', 'swagger-ui', file)), file).toBe(true);
  }, 180_000);
});
