import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_LIMITS } from '../../src/domain/change-feed.js';
import { POLL_TIMING } from '../../web/src/poll-timing.js';
import {
  apiCall,
  axeViolations,
  type BoardRig,
  poll,
  signIn,
  startBoardRig,
  task,
  titlesShown,
} from './board-page.js';

/**
 * The board is live: two browser contexts (two devices of the same user) and the API called directly (a
 * third). A change reaches the other board through the change feed, within the settle horizon plus one
 * polling interval; the test allows more, so a slow machine does not fail it, and prints what it measured.
 */
const LIVE_WITHIN_MS = FEED_LIMITS.settleMs + POLL_TIMING.visibleMs + 10_000;

let rig: BoardRig;
let contexts: BrowserContext[];
let a: Page;
let b: Page;
const isFeed = (request: Request) => new URL(request.url()).searchParams.has('updatedSince');

async function created(title: string, fields: Record<string, unknown> = {}): Promise<string> {
  const response = await rig.api('POST', '/tasks', { title, ...fields });
  expect(response.status).toBe(201);
  return ((await response.json()) as { taskId: string }).taskId;
}

/** Makes the page believe it is hidden or shown again, as switching tabs does. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate(`
    Object.defineProperty(document, 'visibilityState', { value: '${state}', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  `);

beforeAll(async () => {
  rig = await startBoardRig();
  contexts = await Promise.all([rig.browser.newContext(), rig.browser.newContext()]);
  for (const context of contexts) context.setDefaultTimeout(10_000);
  [a, b] = (await Promise.all(contexts.map((context) => context.newPage()))) as [Page, Page];
  await Promise.all([signIn(a, rig), signIn(b, rig)]);
}, 150_000);
afterAll(async () => {
  await rig?.close();
});

describe('the live board, in two browsers of the same user', () => {
  it('shows a task added in one browser on the other, without a reload', async () => {
    await b.getByLabel('Title', { exact: true }).fill('Added on B');
    const posted = apiCall(b, 'POST', /\/tasks$/);
    await b.getByLabel('Title', { exact: true }).press('Enter');
    await posted;
    const sent = Date.now();
    await task(a, 'Added on B').waitFor({ timeout: LIVE_WITHIN_MS });
    console.log(`live delay, B's add to A's board: ${Date.now() - sent} ms`);
  });

  it('shows a status change and a delete made on the other browser', async () => {
    await task(b, 'Added on B').getByLabel('Status').selectOption('DONE');
    await poll(() => task(a, 'Added on B').getByLabel('Status').inputValue(), LIVE_WITHIN_MS).toBe('DONE');

    b.once('dialog', (dialog) => void dialog.accept());
    await task(b, 'Added on B').getByRole('button', { name: 'Delete' }).click();
    await poll(() => task(a, 'Added on B').count(), LIVE_WITHIN_MS).toBe(0);
  });

  it('removes a card deleted elsewhere when it is changed before the feed says so, with a notice', async () => {
    const taskId = await created('Deleted elsewhere');
    await a.reload();
    await task(a, 'Deleted elsewhere').waitFor();
    expect((await rig.api('DELETE', `/tasks/${taskId}`)).status).toBe(204);
    // At once: the feed brings the tombstone only after its settle horizon.
    const refused = apiCall(a, 'PATCH', /\/tasks\/[^/]+$/);
    await task(a, 'Deleted elsewhere').getByLabel('Status').selectOption('IN_PROGRESS');
    expect((await refused).status()).toBe(404);
    await poll(() => task(a, 'Deleted elsewhere').count()).toBe(0);
    expect(await a.getByRole('status').textContent()).toContain('“Deleted elsewhere” was deleted elsewhere');
    expect(await a.getByText('Task not found').count()).toBe(0);
  });

  it('polls rarely while hidden, and catches up at once when shown again', async () => {
    const asked: Request[] = [];
    const collect = (request: Request) => isFeed(request) && asked.push(request);
    await setVisibility(a, 'hidden');
    // Let a poll already scheduled at the visible pace go out, then count.
    await a.waitForTimeout(POLL_TIMING.visibleMs + 500);
    a.on('request', collect);
    await created('Added while A was hidden');
    await a.waitForTimeout(FEED_LIMITS.settleMs + POLL_TIMING.visibleMs);
    expect(asked.length).toBeLessThanOrEqual(1);
    expect(await task(a, 'Added while A was hidden').count()).toBe(0);

    const caughtUp = a.waitForRequest(isFeed, { timeout: POLL_TIMING.hiddenMs / 2 });
    await setVisibility(a, 'visible');
    await caughtUp;
    await task(a, 'Added while A was hidden').waitFor();
    a.off('request', collect);
  });

  it('says in words that it is offline, keeps the board to its filters, and catches up when back', async () => {
    await created('Finished while A was offline', { status: 'DONE' });
    await contexts[0]?.setOffline(true);
    await a.getByLabel('Filter by status').selectOption('DONE');
    const status = a.getByRole('status');
    await poll(() => status.textContent()).toContain('You seem to be offline');
    expect(await status.textContent()).toContain('Trying again automatically');
    // No To-do task stays under the Done filter: the board shows no list it could not load.
    expect(await titlesShown(a)).toEqual([]);
    expect(await axeViolations(a)).toEqual([]);

    await contexts[0]?.setOffline(false);
    await task(a, 'Finished while A was offline').waitFor({ timeout: LIVE_WITHIN_MS });
    await poll(() => status.textContent()).not.toContain('offline');
    for (const title of await titlesShown(a))
      expect(await task(a, title).getByLabel('Status').inputValue()).toBe('DONE');
    await a.getByLabel('Filter by status').selectOption('');
  });

  it('keeps a change made offline out of the board, saying it was not saved', async () => {
    await task(a, 'Finished while A was offline').waitFor();
    await contexts[0]?.setOffline(true);
    await task(a, 'Finished while A was offline').getByLabel('Status').selectOption('PENDING');
    const card = task(a, 'Finished while A was offline');
    await poll(() => card.getByRole('alert').textContent()).toContain('was not saved');
    expect(await card.getByLabel('Status').inputValue()).toBe('DONE');
    await contexts[0]?.setOffline(false);
  });
});
