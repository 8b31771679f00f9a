import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../infra/bundling.js';
import { type Bundle, bundleEntry, type EntryName } from '../../scripts/bundle.js';
import { ERROR_CATALOGUE } from '../../src/api/error-catalogue.js';
import { AuthorizerUnavailableError } from '../../src/auth/jwt.js';

/**
 * The cold-start budget's deterministic half: bundle size, measured on the bundles CDK would deploy. About
 * 20–30 % above what they weigh (about 144 KB and 39 KB), so an added dependency of any weight shows up here first;
 * the import times themselves are `npm run bench`'s (docs/performance.md).
 */
const BUDGET_KB: Record<EntryName, number> = {
  tasks: 160,
  authorizer: 50,
  // Off the request path (about 60 KB with a placeholder purge): the budget only keeps a heavy dependency out.
  purge: 120,
};
const bundles = new Map<EntryName, Bundle>();

beforeAll(async () => {
  for (const entry of Object.keys(LAMBDA_ENTRIES) as EntryName[])
    bundles.set(entry, await bundleEntry(entry));
});

describe('deployed bundles', () => {
  it.each(Object.entries(BUDGET_KB))('keeps the %s bundle under %i KB', (entry, kb) => {
    expect(bundles.get(entry as EntryName)?.bytes).toBeLessThan(kb * 1024);
  });

  it('talks to DynamoDB through the small signed client, without the AWS SDK client or aws-lite', () => {
    for (const entry of ['tasks', 'authorizer', 'purge'] as const) {
      const inputs = bundles.get(entry)?.inputs ?? [];
      expect(inputs).toContain('src/aws/aws-json-client.ts');
      expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/client-'))).toBe(false);
      expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/lib-dynamodb/'))).toBe(false);
      expect(inputs.some((path) => path.includes('node_modules/@aws-lite/'))).toBe(false);
    }
    for (const entry of ['tasks', 'purge'] as const)
      expect(bundles.get(entry)?.inputs).toContain('src/store/dynamo-http-ops.ts');
  });

  it('carries neither the X-Ray SDK nor Powertools', () => {
    for (const bundle of bundles.values())
      expect(bundle.inputs.filter((path) => /aws-xray-sdk|@aws-lambda-powertools/.test(path))).toEqual([]);
  });

  // Minifying renames classes; the names the logs print are string literals, which it keeps.
  it('keeps the real names of the errors the functions can log', () => {
    for (const { error } of ERROR_CATALOGUE) expect(bundles.get('tasks')?.code).toContain(`"${error.name}"`);
    expect(bundles.get('authorizer')?.code).toContain(`"${AuthorizerUnavailableError.name}"`);
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
