import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start`'s cursor key: made once, then kept in DATA_DIR beside the data it pages through, so cursors
 * outlive a restart as the tasks do. Deleting the file rotates it: every outstanding cursor becomes a 400.
 */
export function localCursorKey(dataDir: string): string {
  const path = join(dataDir, 'cursor-key');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  // `wx`: two servers starting on one DATA_DIR keep the first key rather than overwrite it.
  try {
    writeFileSync(path, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8').trim();
  }
}
