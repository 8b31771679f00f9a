import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that run against both dynalite and AWS's DynamoDB Local (see test/support/emulators.ts). */
const EMULATOR_MATRIX = 'test/**/*.emulators.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit-integration-e2e',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
          exclude: [...configDefaults.exclude, EMULATOR_MATRIX],
        },
      },
      {
        extends: true,
        // Its global setup starts DynamoDB Local, and runs only when a file of this project is selected.
        test: {
          name: 'emulators',
          include: [EMULATOR_MATRIX],
          globalSetup: ['test/support/dynamodb-local-setup.ts'],
        },
      },
    ],
  },
});
