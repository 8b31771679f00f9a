/**
 * How the Lambda entry files are bundled: one description used by the CDK stack (NodejsFunction) and by
 * the bundle-size budget and benchmarks, so what is measured is what is deployed.
 */
export const LAMBDA_ENTRIES = Object.freeze({
  tasks: 'src/lambda/tasks.ts',
  authorizer: 'src/lambda/authorizer.ts',
  purge: 'src/lambda/purge.ts',
});

export const BUNDLE_SETTINGS = Object.freeze({
  format: 'esm' as const,
  platform: 'node' as const,
  /** The Lambda runtime's Node major (see the API stack's runtime). */
  target: 'node24',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'] as string[],
  /** ESM bundles need `require` for the few CommonJS dependencies that call it. */
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  /** The AWS SDK is bundled, not taken from the runtime: smaller cold start and a pinned version. */
  external: [] as string[],
});
