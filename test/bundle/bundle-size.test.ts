import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../infra/bundling.js';
import { type Bundle, bundleEntry, type EntryName } from '../../scripts/bundle.js';

/** The cold-start budget's deterministic half: bundle size, measured on the bundles CDK would deploy. */
const BUDGET_BYTES = 500 * 1024;
const bundles = new Map<EntryName, Bundle>();

beforeAll(async () => {
  for (const entry of Object.keys(LAMBDA_ENTRIES) as EntryName[])
    bundles.set(entry, await bundleEntry(entry));
});

describe('deployed bundles', () => {
  it.each(Object.keys(LAMBDA_ENTRIES) as EntryName[])('keeps the %s bundle under 500 KB', (entry) => {
    expect(bundles.get(entry)?.bytes).toBeLessThan(BUDGET_BYTES);
  });

  it('talks to DynamoDB through aws-lite, without the AWS SDK DynamoDB client', () => {
    const inputs = bundles.get('tasks')?.inputs ?? [];
    expect(inputs.some((path) => path.includes('node_modules/@aws-lite/dynamodb/'))).toBe(true);
    expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(false);
    expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/lib-dynamodb/'))).toBe(false);
  });

  it('keeps every zod locale but the default English out of the task bundle', () => {
    const locales = bundles.get('tasks')?.inputs.filter((path) => path.includes('/zod/v4/locales/'));
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('validates with zod/mini, never classic zod, and keeps zod out of the authorizer', () => {
    const zodOf = (entry: EntryName) =>
      bundles.get(entry)?.inputs.filter((path) => path.startsWith('node_modules/zod/')) ?? [];
    expect(zodOf('tasks').some((path) => path.startsWith('node_modules/zod/v4/mini/'))).toBe(true);
    expect(zodOf('tasks').some((path) => path.startsWith('node_modules/zod/v4/classic/'))).toBe(false);
    expect(zodOf('authorizer')).toEqual([]);
  });
});
