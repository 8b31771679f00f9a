import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed document's file name: in openapi/, and beside the task function's bundle. */
export const OPENAPI_FILE = 'openapi.json';

/**
 * The committed OpenAPI document (`npm run openapi` writes it, its test keeps it current), read once, on
 * the first request for it: from beside the running file in the Lambda bundle (infra/functions.ts copies
 * it there), else from the repository (`npm start`, tests). Building it here instead would load the
 * generator and zod's JSON Schema conversion; importing it would put its ~110 KB in every cold start.
 */
export function readOpenApiDocument(): { servers: { url: string }[] } & Record<string, unknown> {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, OPENAPI_FILE);
  const path = existsSync(bundled) ? bundled : join(here, '..', '..', 'openapi', OPENAPI_FILE);
  return JSON.parse(readFileSync(path, 'utf8'));
}
