import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../infra/bundling.js';
import { REPO_ROOT } from '../../infra/functions.js';
import { bundleEntry, type EntryName } from '../../scripts/bundle.js';

/**
 * `dependencies` in package.json is what the deployed functions carry, so an audit of runtime dependencies
 * sees exactly that set: the packages the two bundles import, plus swagger-ui-dist, whose files the tasks
 * function ships and serves (infra/functions.ts copies them beside the bundle). Everything `npm start`, the
 * tests and the tooling need is a devDependency (`npm ci` installs both).
 */
const SHIPPED_AS_FILES = ['swagger-ui-dist'];

const packageOf = (input: string): string => {
  const [scope, name] = input.slice(input.lastIndexOf('node_modules/') + 'node_modules/'.length).split('/');
  return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? '');
};

let bundled: Set<string>;
beforeAll(async () => {
  bundled = new Set<string>();
  for (const entry of Object.keys(LAMBDA_ENTRIES) as EntryName[])
    for (const input of (await bundleEntry(entry)).inputs)
      if (input.includes('node_modules/')) bundled.add(packageOf(input));
});

describe('the runtime dependencies', () => {
  it('are exactly the packages the Lambda bundles import, and the files the tasks function ships', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...bundled, ...SHIPPED_AS_FILES].sort());
  });
});
