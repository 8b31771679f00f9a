import { configDefaults, defineConfig } from 'vitest/config';

/**
 * One project per kind of test, named by what it needs; docs/contributing.md ("Where a test goes") says
 * which kind a test is. `npm test` runs them all; `npx vitest --project unit` is the inner loop.
 */

/** Tests that run against both dynalite and AWS's DynamoDB Local (see test/support/emulators.ts). */
const EMULATOR_MATRIX = '**/*.emulators.test.ts';
const exclude = [...configDefaults.exclude, EMULATOR_MATRIX];

/** A project of the files under `include`, the emulator matrix left to its own project. */
const project = (name: string, include: string[], options: { pool?: 'threads'; isolate?: boolean } = {}) => ({
  extends: true as const,
  test: { name, include, exclude, ...options },
});

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      // In process, no server and no emulator: seconds. Its files share worker threads and their module
      // cache (most of the time a file takes is importing), so a unit test leaves no global state behind.
      project(
        'unit',
        [
          'src/**/*.test.ts',
          'web/src/**/*.test.{ts,tsx}',
          'test/architecture/**/*.test.ts',
          'test/contract/**/*.test.ts',
        ],
        { pool: 'threads', isolate: false },
      ),
      // One part in process with its real neighbour: dynalite in memory, the Vite build.
      project('integration', ['test/integration/**/*.test.ts']),
      // `npm start` on a random port, over HTTP.
      project('e2e', ['test/e2e/**/*.test.ts', 'test/conformance/**/*.test.ts']),
      // The synthesized CDK app and what it ships.
      project('infra', ['test/infra/**/*.test.ts', 'test/bundle/**/*.test.ts']),
      // Headless Chromium against `npm start`.
      project('browser', ['test/browser/**/*.test.ts']),
      {
        extends: true,
        // Its global setup starts DynamoDB Local, and runs only when a file of this project is selected.
        test: {
          name: 'emulators',
          include: [`test/${EMULATOR_MATRIX}`],
          globalSetup: ['test/support/dynamodb-local-setup.ts'],
        },
      },
    ],
  },
});
