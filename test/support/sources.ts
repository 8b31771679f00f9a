import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A source file read for a rule about the code itself (layers, error names). */
export interface SourceFile {
  /** Relative to the folder read, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** Every `.ts` file under `dir`, unit tests (`*.test.ts`) and declarations (`*.d.ts`) left out. */
export function sourcesUnder(dir: string): SourceFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
    .map((name) => ({
      path: relative(dir, join(dir, name)).split('\\').join('/'),
      text: readFileSync(join(dir, name), 'utf8'),
    }));
}
