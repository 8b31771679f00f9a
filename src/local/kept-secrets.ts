import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The secrets `npm start` makes for itself, each kept in a file of DATA_DIR beside the data it guards:
 * the generated token (so a restart keeps an open browser tab signed in) and the cursor key (so cursors
 * outlive a restart as the tasks do). Deleting a file makes a new secret; for the cursor key that turns
 * every outstanding cursor into a 400.
 */
export const KEPT_SECRETS = Object.freeze({
  token: { file: 'api-token', bytes: 24 },
  cursorKey: { file: 'cursor-key', bytes: 32 },
});

type KeptSecret = (typeof KEPT_SECRETS)[keyof typeof KEPT_SECRETS];

/** The file's text, trimmed; undefined when there is no file. */
const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
};

/** The kept secret, made (owner-only) when missing; of two servers starting at once, the first's wins. */
export function keptSecret(dataDir: string, { file, bytes }: KeptSecret): string {
  const path = join(dataDir, file);
  const kept = read(path);
  if (kept) return kept;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(bytes).toString('base64url');
  try {
    // `wx` when there is no file: of two servers starting at once, the first's secret is kept.
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: kept === undefined ? 'wx' : 'w' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return read(path) || secret;
  }
}
