import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/local-server.js';

/**
 * Files stay small (docs/contributing.md): one over LIMIT lines says at its top why it is long, in a
 * comment that starts `Long on purpose`, or it gets split. Generated files are left out.
 */
const LIMIT = 250;
const FOLDERS = ['src', 'test', 'infra', 'bench', 'scripts', 'web/src'];
const GENERATED = new Set(['src/client/schema.d.ts']);
/** Lines searched for the reason: the top comment. */
const TOP = 12;

const sources = FOLDERS.flatMap((folder) =>
  readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .map((name) => `${folder}/${name.split('\\').join('/')}`)
    .filter((path) => /\.tsx?$/.test(path) && !GENERATED.has(path)),
);

const longWithoutReason = (text: string): boolean => {
  const lines = text.split('\n');
  return lines.length > LIMIT + 1 && !lines.slice(0, TOP).some((line) => line.includes('Long on purpose'));
};

describe('a source file', () => {
  it(`over ${LIMIT} lines says at its top why it is long`, () => {
    expect(sources.length).toBeGreaterThan(100);
    const unexplained = sources.filter((path) =>
      longWithoutReason(readFileSync(join(REPO_ROOT, path), 'utf8')),
    );
    expect(unexplained).toEqual([]);
  });

  it('is caught when it is long and says nothing', () => {
    const text = Array.from({ length: LIMIT + 2 }, (_, i) => `const a${i} = ${i};`).join('\n');
    expect(longWithoutReason(text)).toBe(true);
    expect(longWithoutReason(`// Long on purpose (~250 lines): a reason.\n${text}`)).toBe(false);
  });
});
