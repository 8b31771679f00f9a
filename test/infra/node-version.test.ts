import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_SETTINGS } from '../../infra/bundling.js';
import { LAMBDA_RUNTIME, REPO_ROOT } from '../../infra/functions.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const pinned: string = pkg.devDependencies.node;
const major = pinned.split('.')[0];

/**
 * The Node the code pins, in every place that names it. Which Node runs the suite is the machine's
 * business: .ci/run checks that `npm run` finds the pinned one before it runs `npm test`.
 */
describe('Node 24, the runtime we deploy', () => {
  it('is the node devDependency, pinned to an exact version', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.allowScripts.node).toBe(true);
  });

  it('is the major of the Lambda runtime, the bundle target and the version file', () => {
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${major}.x`);
    expect(BUNDLE_SETTINGS.target).toBe(`node${major}`);
    expect(readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim()).toBe(major);
  });

  it('is what engines allows, with the oldest maintained major (22) for npm ci, which runs on the host Node', () => {
    expect(pkg.engines.node).toBe('>=22');
  });

  it.each(['ci.yml', 'deploy.yml'])('sets up Node from .nvmrc in %s', (file) => {
    const workflow = readFileSync(join(REPO_ROOT, '.github/workflows', file), 'utf8');
    expect(workflow).toContain('node-version-file: .nvmrc');
    expect(workflow).not.toMatch(/node-version: \d+/);
  });
});
