// Long on purpose (~300 lines): one browser and one npm start serve the whole user flow; splitting it would start them again per file.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  axeViolations,
  type BoardRig,
  poll,
  signIn as signInWith,
  startBoardRig,
  task,
  taskList,
} from './board-page.js';

/**
 * The web app in Chromium against `npm start`: the app on APP_PORT, the API on PORT, so every call is
 * cross-origin and goes through CORS as it does on AWS. The tests run in order and share one task.
 */
let rig: BoardRig;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

const TITLE = 'Buy milk';
const signIn = (target: Page, token?: string) => signInWith(target, rig, token);
const api = (method: string, path: string, body?: unknown) => rig.api(method, path, body);

beforeAll(async () => {
  rig = await startBoardRig();
  context = await rig.browser.newContext();
  context.setDefaultTimeout(10_000); // a broken step fails fast instead of stalling the steps after it
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
}, 150_000);
afterAll(async () => {
  await rig?.close();
});

describe('the task board in Chromium, on its own origin', () => {
  it('is served on another origin than the API, which npm start prints beside it', () => {
    expect(rig.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(rig.appUrl).origin).not.toBe(new URL(rig.server.baseUrl).origin);
  });

  it('signs in with the printed token and shows the empty state', async () => {
    await signIn(page);
    await poll(() => page.getByText('No tasks yet').isVisible()).toBe(true);
  });

  it('adds a task with an Idempotency-Key and shows it', async () => {
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.getByRole('button', { name: 'Details' }).click();
    await page.getByLabel('Tags').fill('#home, shopping');
    const created = apiCall(page, 'POST', /\/tasks$/);
    await page.getByRole('button', { name: 'Add task' }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    await task(page, TITLE).waitFor();
    expect(await page.getByText('No tasks yet').count()).toBe(0);
  });

  it('shows tasks of every status, priority and tag', async () => {
    const report = { title: 'Write the quarterly report', description: 'Numbers from finance first' };
    expect(
      (
        await api('POST', '/tasks', {
          ...report,
          priority: 'HIGH',
          dueDate: '2026-12-01',
          status: 'IN_PROGRESS',
          tags: ['work'],
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/tasks', {
          title: 'Book the dentist',
          priority: 'LOW',
          status: 'DONE',
          tags: ['health'],
        })
      ).status,
    ).toBe(201);
    await page.reload();
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(3);
  });

  it('still shows the task after a reload (the session survives it)', async () => {
    await page.reload();
    await task(page, TITLE).waitFor();
  });

  it('changes the status with If-Match', async () => {
    const updated = apiCall(page, 'PATCH', /\/tasks\/[^/]+$/);
    await task(page, TITLE).getByLabel('Status').selectOption('IN_PROGRESS');
    const response = await updated;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe('"1"');
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ status: 'IN_PROGRESS' });
  });

  it('shows a stale edit from a second page the 412, with the current version, and applies it on retry', async () => {
    const other = await context.newPage();
    await signIn(other);
    const stale = taskList(other)
      .getByRole('listitem')
      .filter({ has: other.getByRole('button', { name: 'Save' }) });
    await task(other, TITLE).getByRole('button', { name: 'Edit' }).click();
    await stale.getByLabel('Title', { exact: true }).fill('Buy soy milk');

    // Meanwhile the first page edits the same task.
    await task(page, TITLE).getByRole('button', { name: 'Edit' }).click();
    await task(page, TITLE).getByLabel('Title', { exact: true }).fill('Buy oat milk');
    await task(page, TITLE).getByRole('button', { name: 'Save' }).click();
    await task(page, 'Buy oat milk').waitFor();

    const refused = apiCall(other, 'PATCH', /\/tasks\/[^/]+$/);
    await stale.getByRole('button', { name: 'Save' }).click();
    expect((await refused).status()).toBe(412);
    const alert = stale.getByRole('alert');
    await poll(() => alert.textContent()).toContain('changed elsewhere');
    expect(await alert.textContent()).toContain('version 3: “Buy oat milk”');
    expect(await stale.getByRole('heading').textContent()).toBe('Buy oat milk');
    expect(await stale.getByLabel('Title', { exact: true }).inputValue()).toBe('Buy soy milk');

    const retried = apiCall(other, 'PATCH', /\/tasks\/[^/]+$/);
    await stale.getByRole('button', { name: 'Save' }).click();
    expect((await retried).status()).toBe(200);
    await task(other, 'Buy soy milk').waitFor();
    expect(await stale.getByRole('alert').count()).toBe(0);
    await other.close();
  });

  it('exposes the response headers the app reads (ETag, Location, Link) across origins', async () => {
    const seen = await page.evaluate(
      async ({ baseUrl, token }) => {
        const headers = { Authorization: token, 'Content-Type': 'application/json' };
        const created = await fetch(`${baseUrl}/tasks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ title: 'Read the headers' }),
        });
        const listed = await fetch(`${baseUrl}/tasks?limit=1`, { headers });
        return {
          etag: created.headers.get('ETag'),
          location: created.headers.get('Location'),
          link: listed.headers.get('Link'),
        };
      },
      { baseUrl: rig.server.baseUrl, token: rig.server.token },
    );
    expect(seen.etag).toBe('"1"');
    expect(seen.location).toMatch(/\/tasks\/[0-9a-f-]{36}$/);
    expect(seen.link).toMatch(/rel="next"/);
  });

  it('pages with Load more and filters by tag and by status', async () => {
    for (let i = 0; i < 20; i++)
      expect((await api('POST', '/tasks', { title: `Bulk ${i}`, tags: ['bulk'] })).status).toBe(201);
    await page.reload();
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(24);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // A task added now joins at the end of the manual order, and the pages loaded stay.
    await page.getByLabel('Title', { exact: true }).fill('After Load more');
    await page.getByLabel('Title', { exact: true }).press('Enter');
    await task(page, 'After Load more').waitFor();
    expect(await taskList(page).getByRole('listitem').count()).toBe(25);
    expect((await taskList(page).getByRole('heading').last().textContent()) ?? '').toBe('After Load more');

    await page.getByLabel('Filter by tag').fill('home');
    await page.getByLabel('Filter by tag').press('Enter');
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(1);
    await page.getByLabel('Filter by tag').fill('');
    await page.getByLabel('Filter by tag').press('Enter');
    await page.getByLabel('Filter by status').selectOption('IN_PROGRESS');
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(2);
    await task(page, 'Buy soy milk').waitFor();
    await page.getByLabel('Filter by status').selectOption('');
    await page.getByLabel('Filter by tag').fill('no-such-tag');
    await page.getByLabel('Filter by tag').press('Enter');
    await poll(() => page.getByText('No task matches these filters.').isVisible()).toBe(true);
    await page.getByLabel('Filter by tag').fill('');
    await page.getByLabel('Filter by tag').press('Enter');
  });

  it('finds no accessibility violation with axe-core, the editor open', async () => {
    const first = taskList(page).getByRole('listitem').first();
    await first.getByRole('button', { name: 'Edit' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await first.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes a task only after the confirmation is accepted', async () => {
    await page.getByLabel('Filter by tag').fill('home');
    await page.getByLabel('Filter by tag').press('Enter');
    const item = task(page, 'Buy soy milk');
    await item.waitFor();
    page.once('dialog', (dialog) => void dialog.dismiss());
    await item.getByRole('button', { name: 'Delete' }).click();
    expect(await item.count()).toBe(1);

    page.once('dialog', (dialog) => void dialog.accept());
    const deleted = apiCall(page, 'DELETE', /\/tasks\/[^/]+$/);
    await item.getByRole('button', { name: 'Delete' }).click();
    const response = await deleted;
    expect(response.status()).toBe(204);
    expect(response.request().headers()['if-match']).toBe('"4"');
    await poll(() => item.count()).toBe(0);
    expect((await api('GET', `/tasks/${new URL(response.url()).pathname.split('/').pop()}`)).status).toBe(
      404,
    );
    await page.getByLabel('Filter by tag').fill('');
    await page.getByLabel('Filter by tag').press('Enter');
  });

  it('makes one task of a double click on Add task', async () => {
    const keys: string[] = [];
    const collect = (request: { method(): string; url(): string; headers(): Record<string, string> }) => {
      if (request.method() === 'POST' && request.url().endsWith('/tasks'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    };
    page.on('request', collect);
    await page.getByLabel('Title', { exact: true }).fill('Clicked twice');
    await page.getByRole('button', { name: 'Add task' }).dblclick();
    // Added last in the manual order, past the page loaded: the board says where it went.
    await page
      .getByText('Added “Clicked twice”. It is listed after the tasks loaded: Load more shows it.')
      .waitFor();
    await page.reload();
    // Added last, it is on the second page of the manual order.
    await page.getByRole('button', { name: 'Load more' }).click();
    await task(page, 'Clicked twice').waitFor();
    page.off('request', collect);
    expect(await task(page, 'Clicked twice').count()).toBe(1);
    expect(new Set(keys).size).toBe(1);
  });

  it('logged no CORS error in the console', () => {
    expect(consoleErrors.filter((text) => /CORS|Access-Control/i.test(text))).toEqual([]);
  });

  it('signs out, and the token is gone from sessionStorage', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByLabel('Token').waitFor();
  });

  it('says a first wrong token was not accepted, and shows the hint as code, not backticks', async () => {
    const hint = await page.locator('#token-hint').textContent();
    expect(hint).toContain('The token npm start prints');
    expect(hint).not.toContain('`');
    expect(await page.locator('#token-hint code').textContent()).toBe('npm start');
    await page.getByLabel('Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert');
    await poll(() => alert.textContent()).toBe('That token was not accepted. Check it and sign in again.');
    expect(await page.getByLabel('Token').isVisible()).toBe(true);
  });

  it('sends a signed-in user back to sign-in, saying the sign-in is no longer accepted, on a 401', async () => {
    // A token kept from an earlier visit that the API now refuses (e.g. npm start restarted with another).
    await page.evaluate("sessionStorage.setItem('task-board.token', 'revoked')");
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'no longer accepted' }).waitFor();
    expect(await page.getByLabel('Token').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('npm run dev:web, in front of the running npm start', () => {
  it('serves the app with hot reload, its config.json pointing the API at the dev server, which proxies it', async () => {
    process.env.DEV_APP_URL = rig.appUrl;
    process.env.DEV_API_URL = rig.server.baseUrl;
    const { createServer } = await import('vite');
    const dev = await createServer({
      configFile: 'web/vite.config.ts',
      server: { port: 0, hmr: false },
      logLevel: 'silent',
    });
    await dev.listen();
    try {
      const origin = (dev.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
      const config = (await (await fetch(`${origin}/config.json`)).json()) as { apiUrl: string };
      expect(config.apiUrl).toBe(`${origin}${new URL(rig.server.baseUrl).pathname}`);
      const listed = await fetch(`${config.apiUrl}/tasks?limit=1`, {
        headers: { Authorization: rig.server.token },
      });
      expect(listed.status).toBe(200);
      expect(await (await fetch(`${origin}/`)).text()).toContain('/@vite/client');

      const devPage = await context.newPage();
      await devPage.goto(`${origin}/`);
      await devPage.getByLabel('Token').fill(rig.server.token);
      await devPage.getByRole('button', { name: 'Sign in', exact: true }).click();
      await devPage.locator('#tasks-heading').waitFor();
      // The list came through the proxy: the first page shows (empty when this test runs alone).
      await devPage.locator('.tasks li, .empty:not(:has-text("Loading"))').first().waitFor();
      await devPage.close();
    } finally {
      await dev.close();
    }
  });
});
