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

/** The first major of each action whose action.yml runs on node24 (setup-node v6.0.0's says `node24`). */
const NODE24_MAJORS: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'aws-actions/configure-aws-credentials': 5,
};

describe('the workflows on Node 24', () => {
  it.each(workflows)('%s uses only actions at a major that runs on Node 24', (_file, text) => {
    for (const [, action, major] of text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@[0-9a-f]{40} # v(\d+)/g)) {
      expect(NODE24_MAJORS[action ?? ''], `${action} is not a known action`).toBeDefined();
      expect(Number(major), action).toBeGreaterThanOrEqual(NODE24_MAJORS[action ?? ''] ?? Infinity);
    }
    expect([...text.matchAll(/uses:/g)].length).toBe([...text.matchAll(/@[0-9a-f]{40} # v\d+/g)].length);
  });
});

describe('the deploy workflow', () => {
  const [, deploy = ''] = workflows.find(([file]) => file === 'deploy.yml') ?? [];
  const [, ci = ''] = workflows.find(([file]) => file === 'ci.yml') ?? [];

  it('deploys only a push to main whose ci run passed, and exactly the commit ci tested', () => {
    expect(ci).toMatch(/^name: ci$/m);
    expect(deploy).toMatch(
      /^on:\n {2}workflow_run:\n {4}workflows: \[ci\]\n {4}types: \[completed\]\n {4}branches: \[main\]\n\n/m,
    );
    expect(deploy).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(deploy).toContain("github.event.workflow_run.event == 'push'");
    expect(deploy).toMatch(/ref: \$\{\{ github\.event\.workflow_run\.head_sha \}\}/);
    expect(deploy).not.toMatch(/workflow_dispatch|^ {2}push:/m);
  });

  it('names the extra permission its smoke test needs: GetSecretValue on exactly the token secret it reads', () => {
    const header = deploy.slice(0, deploy.indexOf('\nname:'));
    expect(header).toContain('secretsmanager:GetSecretValue on the token secret');
    expect(header).toMatch(/exactly the ARN of the stack\n# +output TokenSecretArn/);
    expect(header).not.toContain('arn:aws:secretsmanager:<region>:<account>:secret:AuthTokens*');
    expect(deploy).toContain("'.[$s].TokenSecretArn'");
    expect(deploy).toMatch(/aws secretsmanager get-secret-value --secret-id "\$secret"/);
  });

  it('deploys only while the commit ci tested is still main’s tip, so a re-run of an older run deploys nothing', () => {
    expect(deploy).toMatch(/tip=\$\(gh api "repos\/\$GITHUB_REPOSITORY\/commits\/main" --jq \.sha\)/);
    expect(deploy).toMatch(/HEAD_SHA: \$\{\{ github\.event\.workflow_run\.head_sha \}\}/);
    expect(deploy).toMatch(/ {2}deploy:\n {4}needs: tip\n {4}if: needs\.tip\.outputs\.current == 'true'\n/);
  });

  it('fails a step on any failed command of a pipe, and gives a first deploy an hour', () => {
    const scripts = [...deploy.matchAll(/run: \|\n {10}(.*)\n/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const first of scripts) expect(first).toBe('set -euo pipefail');
    expect(deploy).toContain('timeout-minutes: 60');
  });

  it('smoke-tests the deployment through the variables the smoke test reads, never BASE_URL (Vitest’s own)', () => {
    const smoke = readFileSync(join(REPO_ROOT, 'test/e2e/smoke.test.ts'), 'utf8');
    const [, line = ''] = /\n(.*npm run smoke)\n/.exec(deploy) ?? [];
    const passed = [...line.matchAll(/(\w+)="/g)].map((m) => m[1] ?? '');
    expect(passed).toEqual(['SMOKE_BASE_URL', 'API_TOKEN', 'SMOKE_ORIGIN']);
    for (const name of passed) expect(smoke).toContain(`process.env.${name}`);
    expect(smoke).not.toContain('process.env.BASE_URL');
  });

  it('passes only the stage, so the committed per-stage settings decide the rest', () => {
    expect(deploy).toContain('-c stage="$STAGE"');
    expect(deploy).not.toMatch(/-c authMode/);
  });
});
