import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/functions.js';

const dir = join(REPO_ROOT, '.github/workflows');
const workflows = readdirSync(dir)
  .filter((file) => file.endsWith('.yml'))
  .map((file) => [file, readFileSync(join(dir, file), 'utf8')] as const);

describe('the GitHub workflows (schema-checked by npm run lint:workflows)', () => {
  it('are ci.yml and deploy.yml', () => {
    expect(workflows.map(([file]) => file).sort()).toEqual(['ci.yml', 'deploy.yml']);
  });

  it.each(workflows)('%s pins every action by full commit SHA', (_file, text) => {
    const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] ?? '');
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it.each(workflows)('%s starts from read-only permissions', (_file, text) => {
    expect(text).toMatch(/^permissions:\n {2}contents: read\n/m);
    expect(text).not.toMatch(/write-all|contents: write/);
  });

  it('asks for an OIDC token only in the deploy job', () => {
    const [, ci] = workflows.find(([file]) => file === 'ci.yml') ?? [];
    const [, deploy] = workflows.find(([file]) => file === 'deploy.yml') ?? [];
    expect(ci).not.toContain('id-token');
    expect(deploy).toContain('id-token: write');
    expect(deploy).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });
});
