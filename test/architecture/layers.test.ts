import { dirname, join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/local-server.js';
import { type SourceFile, sourcesUnder } from '../support/sources.js';

/**
 * Layers point down only: the domain knows nothing of storage, HTTP, auth or Lambda; the store knows the
 * domain alone; the HTTP layer and auth do not reach into storage or into each other's composition. The
 * rules are read off the source files, so a forbidden import fails here the day it is written. Unit tests
 * (`*.test.ts`) are left out: a test composes layers on purpose (a domain test runs on the in-memory store).
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  domain: ['store', 'api', 'auth', 'lambda', 'local', 'client', 'settings', 'aws'],
  store: ['api', 'auth', 'lambda', 'local', 'client', 'settings'],
  api: ['store', 'lambda', 'local'],
  auth: ['api', 'store', 'lambda', 'local'],
  lambda: ['local'],
  /** The signed AWS transport under the store and auth knows nothing of the service. */
  aws: ['domain', 'store', 'api', 'auth', 'lambda', 'local', 'client', 'settings'],
  /** The settings contract (variables, platform limits) sits under every layer and imports none. */
  settings: ['domain', 'store', 'api', 'auth', 'lambda', 'local', 'client', 'aws'],
};

/** The top-level entry under `src/` a path belongs to: a folder (`domain`). */
const layerOf = (path: string) => path.split('/')[0] ?? path;

/** Every import (static, type-only, re-export or dynamic) that breaks a rule, as `from → to`. */
function forbiddenImports(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const forbidden = FORBIDDEN[layerOf(file.path)] ?? [];
    for (const { fileName } of ts.preProcessFile(file.text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue; // a package, not a layer
      const target = posix.normalize(posix.join(posix.dirname(file.path), fileName)).replace(/\.js$/, '.ts');
      if (target.startsWith('..')) continue; // outside src/
      if (forbidden.includes(layerOf(target))) violations.push(`${file.path} → ${target}`);
    }
  }
  return violations;
}

describe('the layers', () => {
  const src = join(REPO_ROOT, 'src');

  it('point down only', () => {
    const files = sourcesUnder(src);
    expect(files.map((f) => dirname(f.path))).toContain('domain');
    expect(forbiddenImports(files)).toEqual([]);
  });

  it.each([
    ['domain/task-service.ts', "import type { X } from '../store/dynamo-task-store.js';"],
    ['domain/task.ts', "export { Y } from '../api/routes.js';"],
    ['store/cursor.ts', "const z = await import('../lambda/tasks.js');"],
    ['auth/policy.ts', "import { ROUTES } from '../api/routes.js';"],
    ['api/preconditions.ts', "import type { WriteCondition } from '../store/task-store.js';"],
    ['domain/deadline.ts', "import { loadTaskFunctionConfig } from '../settings/function-env.js';"],
    ['settings/variables.ts', "import { DEFAULT_STAGE } from '../api/routes.js';"],
    ['aws/aws-json-client.ts', "import { StoreUnavailableError } from '../domain/errors.js';"],
  ])('are enforced: %s may not say %s', (path, line) => {
    expect(forbiddenImports([{ path, text: line }])).toHaveLength(1);
  });

  it('let each layer use the ones below it', () => {
    const allowed = [
      { path: 'store/cursor.ts', text: "import { ValidationError } from '../domain/errors.js';" },
      { path: 'api/handler.ts', text: "import type { TaskService } from '../domain/task-service.js';" },
      { path: 'lambda/tasks.ts', text: "import { DynamoTaskStore } from '../store/dynamo-task-store.js';" },
      { path: 'domain/task.ts', text: "import * as z from 'zod';" },
      {
        path: 'store/dynamo-http-ops.ts',
        text: "import { makeAwsJsonClient } from '../aws/aws-json-client.js';",
      },
    ];
    expect(forbiddenImports(allowed)).toEqual([]);
  });
});
