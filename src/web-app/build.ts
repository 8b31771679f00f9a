/**
 * Building the web app, for `npm start` (when web/dist is missing or stale) and for the CDK asset (local
 * bundling, no Docker). Both run Vite's CLI with web/vite.config.ts, and both know a build by the same hash
 * of its inputs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** The app's sources (the CDK asset bundles from here). */
export const WEB_DIR = join(REPO_ROOT, 'web');
/** Where `npm start` serves the app from. */
export const WEB_DIST = join(WEB_DIR, 'dist');
const STAMP = '.source-hash';
/**
 * The app's sources outside web/: the typed client it calls through (with the ETag format from src/api),
 * the domain's schemas and limits, config.json's shape and the settings it names, and the locked
 * dependency versions. app-size.test.ts checks that every module the bundle holds is an input.
 */
export const OUTSIDE_INPUTS = [
  'src/client',
  'src/domain',
  'src/api',
  'src/settings',
  'src/web-app/app-config.ts',
  'package-lock.json',
];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A hash of every input of the build (paths and contents), so a changed file means a new build. */
export function appSourceHash(): string {
  const inputs = [WEB_DIR, ...OUTSIDE_INPUTS.map((path) => join(REPO_ROOT, path))]
    .flatMap(filesUnder)
    .filter((file) => !`${relative(WEB_DIR, file)}/`.startsWith('dist/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

const viteArgs = (outDir: string): string[] => [
  join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
  'build',
  WEB_DIR,
  '--outDir',
  outDir,
  '--emptyOutDir',
  '--logLevel',
  'warn',
];

/** The CDK asset's local bundling: synchronous, as `ILocalBundling.tryBundle` must be. */
export function buildAppSync(outDir: string): void {
  const result = spawnSync(process.execPath, viteArgs(outDir), { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed (${result.status ?? result.signal})`);
}

/** True when web/dist was built from inputs with this hash. */
export const isBuiltFrom = (hash: string): boolean => {
  try {
    return readFileSync(join(WEB_DIST, STAMP), 'utf8') === hash;
  } catch {
    return false;
  }
};

/**
 * Builds web/dist unless it was built from these very inputs. The build goes to a private directory and is
 * renamed into place, so servers starting side by side never serve (or delete) a half-written build.
 */
export async function ensureAppBuild(log: (line: string) => void): Promise<string> {
  const hash = appSourceHash();
  if (isBuiltFrom(hash)) return WEB_DIST;
  log('Building the web app (web/ changed since the last build)…');
  const scratch = join(REPO_ROOT, '.tmp', `web-build-${process.pid}-${Date.now()}`);
  mkdirSync(scratch, { recursive: true });
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, viteArgs(scratch), { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('exit', done);
    child.on('error', () => done(-1));
  });
  if (code !== 0) throw new Error(`vite build failed (exit ${code})`);
  writeFileSync(join(scratch, STAMP), hash);
  const old = `${scratch}-old`;
  try {
    if (!isBuiltFrom(hash)) {
      if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
      renameSync(scratch, WEB_DIST);
    }
  } catch (error) {
    // Another server swapped its build in meanwhile: fine if it was built from the same inputs.
    if (!isBuiltFrom(hash)) throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return WEB_DIST;
}
