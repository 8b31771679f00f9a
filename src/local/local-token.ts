import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'api-token';

/**
 * The token `npm start` generates when none is set: made once and kept in the data folder (owner-only), so
 * a restart keeps it and an open browser tab stays signed in. Deleting the file makes a new one.
 */
export function keptToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
