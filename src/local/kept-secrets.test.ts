import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEPT_SECRETS, keptSecret } from './kept-secrets.js';

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
const fresh = () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'kept-')), 'data');
  return dataDir;
};

describe('keptSecret', () => {
  it('makes a secret once, owner-only, and returns the same one on every later start', () => {
    const dir = fresh();
    const first = keptSecret(dir, KEPT_SECRETS.cursorKey);
    const path = join(dir, KEPT_SECRETS.cursorKey.file);

    expect(Buffer.from(first, 'base64url')).toHaveLength(KEPT_SECRETS.cursorKey.bytes);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(keptSecret(dir, KEPT_SECRETS.cursorKey)).toBe(first);
    expect(keptSecret(dir, KEPT_SECRETS.token)).not.toBe(first);
  });

  it('keeps a secret written by hand, and replaces an empty file', () => {
    const dir = fresh();
    keptSecret(dir, KEPT_SECRETS.token);
    const path = join(dir, KEPT_SECRETS.token.file);
    writeFileSync(path, ' chosen-by-hand \n');
    expect(keptSecret(dir, KEPT_SECRETS.token)).toBe('chosen-by-hand');

    writeFileSync(path, '');
    const made = keptSecret(dir, KEPT_SECRETS.token);
    expect(made).not.toBe('');
    expect(readFileSync(path, 'utf8').trim()).toBe(made);
  });
});
