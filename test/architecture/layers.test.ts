import { dirname, join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/local-server.js';
import { type SourceFile, sourcesUnder } from '../support/sources.js';

/**
 * Layers point down only: the domain knows nothing of storage, HTTP, auth or Lambda; the store knows the
 * domain and the AWS transport alone; the HTTP layer and auth do not reach into storage or into each
 * other's composition. Across the repository, the service (`src/`) stands on its own, and each other
 * folder reaches only the ones it names in REACH. The rules are read off the source files, so a forbidden
 * import fails here the day it is written. Tests (`*.test.ts`) are left out: a test composes layers on
 * purpose (a domain test runs on the in-memory store).
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  domain: ['store', 'api', 'auth', 'lambda', 'local', 'client', 'settings', 'aws', 'web-app'],
  store: ['api', 'auth', 'lambda', 'local', 'client', 'settings', 'web-app'],
  api: ['store', 'lambda', 'local', 'web-app'],
  auth: ['api', 'store', 'lambda', 'local', 'web-app'],
  lambda: ['local', 'web-app'],
  /** The signed AWS transport under the store and auth knows nothing of the service. */
  aws: ['domain', 'store', 'api', 'auth', 'lambda', 'local', 'client', 'settings', 'web-app'],
  /** The settings contract (variables, platform limits) sits under every layer and imports none. */
  settings: ['domain', 'store', 'api', 'auth', 'lambda', 'local', 'client', 'aws', 'web-app'],
  /** The web app's hosting contract and build, which the browser bundle and the CDK app import. */
  'web-app': ['store', 'api', 'auth', 'lambda', 'local', 'aws'],
};
/**
 * What code in each top-level folder may import from outside that folder (packages aside). `src/` reaches
 * nothing outside itself but the OpenAPI document it serves: what `npm start` and the Lambdas run is in it.
 */
const REACH: Record<string, readonly string[]> = {
  src: ['openapi/openapi.json'],
  infra: ['src'],
  /** The browser app: the typed client it calls through, the config.json it reads, the task's schemas. */
  web: ['src/client', 'src/web-app', 'src/domain'],
  /** `npm run soak` starts and calls `npm start` through the tests' own harness. */
  scripts: ['src', 'infra', 'test/support'],
  bench: ['src', 'infra', 'scripts', 'test/support'],
};

/** The top-level entry a path belongs to: a folder (`domain`). */
const layerOf = (path: string) => path.split('/')[0] ?? path;

/** Each relative import of each file (static, type-only, re-export or dynamic), as a path like the file's. */
function importsOf(files: readonly SourceFile[]): { from: string; to: string }[] {
  return files.flatMap((file) =>
    ts
      .preProcessFile(file.text, true, true)
      .importedFiles.filter(({ fileName }) => fileName.startsWith('.')) // else a package, not a layer
      .map(({ fileName }) => ({
        from: file.path,
        to: posix.normalize(posix.join(posix.dirname(file.path), fileName)).replace(/\.js$/, '.ts'),
      })),
  );
}

/** Every import between layers of `src/` that breaks a rule, as `from → to` (paths relative to src/). */
function forbiddenImports(files: readonly SourceFile[]): string[] {
  return importsOf(files)
    .filter(({ from, to }) => !to.startsWith('..') && FORBIDDEN[layerOf(from)]?.includes(layerOf(to)))
    .map(({ from, to }) => `${from} → ${to}`);
}

/** Every import that leaves its top-level folder for one it may not reach (paths relative to the repo). */
function strayImports(files: readonly SourceFile[]): string[] {
  const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
  return importsOf(files)
    .filter(({ from, to }) => layerOf(to) !== layerOf(from))
    .filter(({ from, to }) => !(REACH[layerOf(from)] ?? []).some((folder) => within(to, folder)))
    .map(({ from, to }) => `${from} → ${to}`);
}

describe('the layers', () => {
  it('point down only', () => {
    const files = sourcesUnder(join(REPO_ROOT, 'src'));
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
    ['web-app/app-config.ts', "import { ROUTES } from '../api/routes.js';"],
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
      { path: 'local/app-server.ts', text: "import { ensureAppBuild } from '../web-app/build.js';" },
    ];
    expect(forbiddenImports(allowed)).toEqual([]);
  });
});

describe('the folders of the repository', () => {
  it('reach only the folders they name', () => {
    const files = Object.keys(REACH).flatMap((folder) =>
      sourcesUnder(join(REPO_ROOT, folder)).map((file) => ({ ...file, path: `${folder}/${file.path}` })),
    );
    expect(files.map((file) => layerOf(file.path))).toEqual(expect.arrayContaining(Object.keys(REACH)));
    expect(strayImports(files)).toEqual([]);
  });

  it.each([
    ['src/local/app-server.ts', "import { ensureAppBuild } from '../../web/build.js';"],
    ['src/local/server.ts', "import { startLocalServer } from '../../test/support/local-server.js';"],
    ['infra/api-stack.ts', "import { call } from '../test/support/http.js';"],
    ['web/src/task-api.ts', "import { makeCursorCodec } from '../../src/store/cursor.js';"],
    ['scripts/soak.ts', "import { tokens } from '../test/e2e/api.test.js';"],
  ])('are enforced: %s may not say %s', (path, line) => {
    expect(strayImports([{ path, text: line }])).toHaveLength(1);
  });

  it.each([
    ['web/src/api.ts', "import { makeTaskClient } from '../../src/client/index.js';"],
    ['scripts/soak.ts', "import { startLocalServer } from '../test/support/local-server.js';"],
    ['infra/web-app.ts', "import { buildAppSync } from '../src/web-app/build.js';"],
  ])('let %s say %s', (path, line) => {
    expect(strayImports([{ path, text: line }])).toEqual([]);
  });
});
