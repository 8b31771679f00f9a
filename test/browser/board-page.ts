import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type LocalServer, startLocalServer } from '../support/local-server.js';
import { launchChromium } from './chromium.js';

/**
 * What the web app's browser tests share: one `npm start` (app and API on different origins) and one
 * Chromium per test file, and the app's parts found by their accessible names.
 *
 * Code that runs in the page is passed as a string where it names browser globals: this program has no DOM
 * lib, which would retype Node's own fetch for every test.
 */
export interface BoardRig {
  readonly server: LocalServer;
  readonly browser: Browser;
  readonly appUrl: string;
  /** Calls the API from the test (as another device would), with the server's token or the one given. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/** `env` adds to the server's environment: `API_TOKENS` for several principals, say. */
export async function startBoardRig(env: Record<string, string> = {}): Promise<BoardRig> {
  const [server, browser] = await Promise.all([
    // The first run after a change to web/ builds the app before the server listens.
    startLocalServer({ env: { APP_PORT: '0', ...env }, timeoutMs: 120_000 }),
    launchChromium(),
  ]);
  return {
    server,
    browser,
    appUrl: /^App: (http:\/\/\S+)/m.exec(server.stdout())?.[1] ?? '',
    api: (method, path, body, token = server.token) =>
      fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { Authorization: token, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }),
    async close() {
      await browser.close();
      await server.destroy();
    },
  };
}

/** vitest's poll gives up after 1 s by default; a list request on a busy machine can take longer. */
export const poll = <T>(probe: () => T | Promise<T>, timeout = 10_000) => expect.poll(probe, { timeout });

export async function signIn(page: Page, rig: BoardRig, token = rig.server.token): Promise<void> {
  await page.goto(rig.appUrl);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await boardHeading(page).waitFor();
}

/** The board's heading: the list's title once the lists have loaded ("My Tasks" for the default list). */
export const boardHeading = (page: Page) => page.locator('#tasks-heading');

export const taskList = (page: Page) => page.getByRole('list', { name: 'Tasks' });
export const task = (page: Page, title: string) =>
  taskList(page).getByRole('listitem', { name: title, exact: true });
export const titlesShown = (page: Page) => taskList(page).getByRole('heading').allTextContents();
export const apiCall = (page: Page, method: string, path: RegExp) =>
  page.waitForResponse(
    (response) => response.request().method() === method && path.test(new URL(response.url()).pathname),
  );

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it is now, of any impact, as `rule: targets`. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  const result = (await page.evaluate('axe.run(document)')) as {
    violations: { id: string; nodes: { target: string[] }[] }[];
  };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
