import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/openapi.js';
import { type LocalServer, startLocalServer } from '../support/local-server.js';
import { launchChromium } from './chromium.js';

let server: LocalServer;
let browser: Browser;
let page: Page;
const outside: string[] = [];
const refused: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer(), launchChromium()]);
  page = await browser.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(new URL(server.baseUrl).origin)) outside.push(request.url());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await page.goto(`${server.baseUrl}/docs`);
  await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.destroy();
});

describe('the docs page in Chromium', () => {
  it('lists every operation of the live document', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, any>>;
    const expected = Object.entries(paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const shown = await page
      .locator('.opblock-summary')
      .evaluateAll((nodes) =>
        nodes.map(
          (node) =>
            `${node.querySelector('.opblock-summary-method')?.textContent} ${node.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
        ),
      );
    expect(shown.sort()).toEqual(expected);
  });

  it('performs an authorized Try-it-out of GET /tasks that succeeds', async () => {
    await page.locator('.auth-wrapper button.authorize').click();
    await page.locator('.auth-container input').first().fill(server.token);
    await page.locator('.auth-btn-wrapper button.authorize').click();
    await page.locator('button.btn-done').click();

    const operation = page.locator('#operations-tasks-listTasks');
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    const answer = page.waitForResponse((response) =>
      new URL(response.url()).pathname.endsWith('/dev/tasks'),
    );
    await operation.locator('button.execute').click();
    const response = await answer;
    expect(response.request().headers().authorization).toBe(server.token);
    expect(response.status()).toBe(200);
    await expect
      .poll(() => operation.locator('.live-responses-table tbody .response-col_status').first().textContent())
      .toContain('200');
  });

  it('loads nothing from outside the local server (no CDN, no validator badge)', () => {
    expect(outside).toEqual([]);
  });

  it('asks for nothing that is refused: no /favicon.ico outside the stage, whose answer is a 403', async () => {
    expect(await page.evaluate('document.querySelector("link[rel=icon]")?.getAttribute("href")')).toBe(
      'data:,',
    );
    expect(refused).toEqual([]);
  });
});
