import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ensureAppBuild, OUTSIDE_INPUTS, WEB_DIR } from '../../src/web-app/build.js';
import { REPO_ROOT } from '../support/local-server.js';

/** The budget docs/web-app.md names: the app's JavaScript, gzipped, everything a first visit downloads. */
const JS_BUDGET_GZIP_BYTES = 60 * 1024;

describe('the web app build', () => {
  it(`ships at most ${JS_BUDGET_GZIP_BYTES / 1024} KB of gzipped JavaScript`, async () => {
    const dist = await ensureAppBuild(() => {});
    const scripts = readdirSync(join(dist, 'assets')).filter((name) => name.endsWith('.js'));
    const gzipped = scripts.map((name) => gzipSync(readFileSync(join(dist, 'assets', name))).length);
    const total = gzipped.reduce((sum, size) => sum + size, 0);
    console.log(`web app JS: ${scripts.length} file(s), ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(scripts.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(JS_BUDGET_GZIP_BYTES);
  }, 120_000);

  it('has no inline script, which the Content-Security-Policy would block', async () => {
    const html = readFileSync(join(await ensureAppBuild(() => {}), 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/\bsrc="\/assets\//);
      expect(body?.trim()).toBe('');
    }
  }, 120_000);

  it('is rebuilt when any module it bundles changes: each lies under web/ or an input outside it', async () => {
    const { build } = await import('vite');
    const output = (await build({
      configFile: join(WEB_DIR, 'vite.config.ts'),
      build: { write: false },
      logLevel: 'silent',
    })) as { output: { type: string; moduleIds?: string[] }[] };
    const sources = output.output
      .flatMap((chunk) => chunk.moduleIds ?? [])
      .filter((id) => id.startsWith(REPO_ROOT) && !id.includes('/node_modules/'))
      .map((id) => relative(REPO_ROOT, id));
    expect(sources).toContain('src/domain/task.ts');
    const inputs = ['web', ...OUTSIDE_INPUTS];
    const within = (path: string, input: string) => path === input || path.startsWith(`${input}/`);
    expect(sources.filter((path) => !inputs.some((input) => within(path, input)))).toEqual([]);
  }, 120_000);
});
