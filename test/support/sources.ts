import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A source file read for a rule about the code itself (layers, error names). */
export interface SourceFile {
  /** Relative to the folder read, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** Every `.ts` and `.tsx` file under `dir`, tests (`*.test.ts`), declarations and build output left out. */
export function sourcesUnder(dir: string): SourceFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name) && !/\.(test|d)\.tsx?$/.test(name))
    .filter((name) => !name.split(/[\\/]/).some((part) => part === 'node_modules' || part === 'dist'))
    .map((name) => ({
      path: relative(dir, join(dir, name)).split('\\').join('/'),
      text: readFileSync(join(dir, name), 'utf8'),
    }));
}
