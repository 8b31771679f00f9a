/**
 * Bundles the Lambda entry files exactly as the CDK stack does (infra/bundling.ts), for the bundle-size
 * budget test and the cold-start benchmark. `npx tsx scripts/bundle.ts [outDir]` writes them and prints sizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { BUNDLE_SETTINGS, LAMBDA_ENTRIES } from '../infra/bundling.js';

export type EntryName = keyof typeof LAMBDA_ENTRIES;

export interface Bundle {
  readonly entry: EntryName;
  readonly code: string;
  readonly bytes: number;
  /** The source files that reach the output, relative to the repository root (node_modules paths included). */
  readonly inputs: readonly string[];
}

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** Swaps one source module for another, to bundle the same handler over a different client. */
function substitute(from: string, to: string): Plugin {
  const target = resolve(ROOT, from);
  return {
    name: 'substitute',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!args.importer) return undefined;
        const resolved = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return resolved === target ? { path: resolve(ROOT, to) } : undefined;
      });
    },
  };
}

export interface BundleOptions {
  /** Replace a source file (relative to the repository root) with another, e.g. the client choice. */
  readonly substitute?: { readonly from: string; readonly to: string };
}

export async function bundleEntry(entry: EntryName, options: BundleOptions = {}): Promise<Bundle> {
  const { banner, ...settings } = BUNDLE_SETTINGS;
  const result = await build({
    ...settings,
    entryPoints: [resolve(ROOT, LAMBDA_ENTRIES[entry])],
    bundle: true,
    write: false,
    banner: { js: banner },
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: ROOT,
    plugins: options.substitute ? [substitute(options.substitute.from, options.substitute.to)] : [],
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  return {
    entry,
    code: file.text,
    bytes: file.contents.byteLength,
    inputs: keptInputs(result.metafile),
  };
}

/** The inputs that contribute bytes; tree-shaken ones are listed by esbuild with zero bytes. */
function keptInputs(metafile: Metafile): string[] {
  const output = Object.values(metafile.outputs)[0];
  if (!output) return [];
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
}

/** Writes a bundle as `<dir>/<name>.mjs` so a fresh node can import it. */
export function writeBundle(dir: string, name: string, bundle: Bundle): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, bundle.code);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? 'dist');
  for (const entry of Object.keys(LAMBDA_ENTRIES) as EntryName[]) {
    const bundle = await bundleEntry(entry);
    const path = writeBundle(outDir, entry, bundle);
    console.log(`${entry}: ${(bundle.bytes / 1024).toFixed(1)} KB → ${path}`);
  }
}
