// Long on purpose (~260 lines): sharing is one story told by two people in two browsers on one npm start
// (share, view, edit, collide, remove); split, each part would start its own server and replay the story.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, randomToken } from '../support/local-server.js';
import {
  apiCall,
  axeViolations,
  type BoardRig,
  boardHeading,
  poll,
  signIn,
  startBoardRig,
  task,
} from './board-page.js';

/**
 * A shared list as two people meet it: alice (the owner) and bob, each in a browser context of their own,
 * signed in with their own token (API_TOKENS names the two principals). Alice shares a list with bob as a
 * viewer, makes him an editor, they edit one task at once, and she removes him. The tests run in order.
 */
const TOKENS = { alice: randomToken(), bob: randomToken() };
/** The bound for a change to reach the other person's screen. */
const SHARED_WITHIN_MS = 10_000;
const SHOTS = process.env.SHARING_SCREENSHOTS;

let rig: BoardRig;
let contexts: BrowserContext[];
let alice: Page;
let bob: Page;
let listId = '';

const lists = (page: Page) => page.getByRole('navigation', { name: 'Lists' });
const listButton = (page: Page, name: string) => lists(page).getByRole('button', { name, exact: true });
const quickAddTitle = (page: Page) => page.getByLabel('Title', { exact: true });
const dialog = (page: Page) => page.getByRole('dialog');
/** What a write control would be called on a task card or the board. */
const WRITE_CONTROLS = ['Edit', 'Delete', 'Add subtask', 'Add task', 'Arrange', /^Move /] as const;

async function writeControls(page: Page): Promise<number> {
  let count = await page.getByRole('combobox', { name: 'Status', exact: true }).count();
  for (const name of WRITE_CONTROLS) count += await page.getByRole('button', { name, exact: true }).count();
  return count + (await quickAddTitle(page).count()) + (await page.locator('[draggable="true"]').count());
}

/** Looks at the page as a person would, when SHARING_SCREENSHOTS names a folder. */
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  const folder = resolve(REPO_ROOT, SHOTS);
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/** Brings the page back into focus, which reads the lists again (as switching back to the tab does). */
const refocus = (page: Page) => page.evaluate('window.dispatchEvent(new Event("focus"))');

async function addTask(page: Page, title: string): Promise<void> {
  await quickAddTitle(page).fill(title);
  const posted = apiCall(page, 'POST', /\/tasks$/);
  await quickAddTitle(page).press('Enter');
  expect((await posted).status()).toBe(201);
}

beforeAll(async () => {
  rig = await startBoardRig({ API_TOKENS: JSON.stringify(TOKENS) });
  contexts = await Promise.all([
    rig.browser.newContext({ viewport: { width: 1280, height: 800 } }),
    rig.browser.newContext({ viewport: { width: 1280, height: 800 } }),
  ]);
  for (const context of contexts) context.setDefaultTimeout(10_000);
  [alice, bob] = (await Promise.all(contexts.map((context) => context.newPage()))) as [Page, Page];
  await Promise.all([signIn(alice, rig, TOKENS.alice), signIn(bob, rig, TOKENS.bob)]);
}, 150_000);
afterAll(async () => {
  await rig?.close();
});

describe('a list shared between two people', () => {
  it('shows each person their own id, the one to hand to whoever shares with them', async () => {
    await alice.getByText('Your id: alice').waitFor();
    await bob.getByText('Your id: bob').waitFor();
    expect(await alice.getByRole('button', { name: 'Copy your id, alice' }).count()).toBe(1);
  });

  it('lets the owner share a list with a viewer, from an accessible dialog', async () => {
    await alice.getByLabel('New list').fill('Trip');
    await alice.getByRole('button', { name: 'Add list' }).click();
    await poll(() => boardHeading(alice).textContent()).toBe('Trip');
    listId = decodeURIComponent(/#list=(.+)$/.exec(alice.url())?.[1] ?? '');
    await addTask(alice, 'Book the train');

    await alice.getByRole('button', { name: 'Share list “Trip”' }).click();
    await dialog(alice).getByRole('heading', { name: 'Share “Trip”' }).waitFor();
    expect(await alice.evaluate('document.activeElement?.id')).toBe('member-id');
    await dialog(alice).getByText('alice').first().waitFor();
    // An id the API would refuse is said beside the field, before anything is sent.
    await alice.getByLabel('Their id').fill('not an id');
    await dialog(alice).getByRole('button', { name: 'Share' }).click();
    await dialog(alice).getByText('An id is 1 to 128 letters').waitFor();
    expect(await alice.getByLabel('Their id').getAttribute('aria-invalid')).toBe('true');

    await alice.getByLabel('Their id').fill('bob');
    await alice.getByLabel('Role', { exact: true }).selectOption('viewer');
    const shared = apiCall(alice, 'PUT', /\/members\/bob$/);
    await dialog(alice).getByRole('button', { name: 'Share' }).click();
    expect((await shared).status()).toBe(201);
    await poll(() => alice.getByLabel('Role of bob').inputValue()).toBe('viewer');
    await dialog(alice).getByText('Shared “Trip” with bob as viewer.').waitFor();
    expect(await axeViolations(alice)).toEqual([]);
    await alice.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(alice)).toEqual([]);
    await alice.emulateMedia({ colorScheme: 'light' });
    await shot(alice, '1-owner-shares');

    await alice.keyboard.press('Escape');
    await poll(() => dialog(alice).count()).toBe(0);
    expect(await alice.evaluate('document.activeElement?.id')).toBe('share-list');
    await poll(() => lists(alice).textContent()).toContain('Shared · Owner · 2 members');
  });

  it('shows the viewer the shared list with its role, and a board without write controls', async () => {
    await refocus(bob);
    await listButton(bob, 'Trip').waitFor();
    expect(await bob.getByText('Shared · Viewer · 2 members').count()).toBe(1);
    await listButton(bob, 'Trip').click();
    await task(bob, 'Book the train').waitFor();
    await bob.getByText('View only').waitFor();
    expect(await writeControls(bob)).toBe(0);
    expect(await task(bob, 'Book the train').getByText('To do').count()).toBe(1);
    for (const name of [/^Rename list/, /^Delete list/])
      expect(await bob.getByRole('button', { name }).count()).toBe(0);

    await bob.getByRole('button', { name: 'Members of list “Trip”' }).click();
    await dialog(bob).getByRole('heading', { name: 'Members of “Trip”' }).waitFor();
    await dialog(bob).getByText('Viewer', { exact: true }).waitFor();
    expect(await bob.getByLabel('Their id').count()).toBe(0);
    expect(
      await dialog(bob)
        .getByRole('button', { name: /^Remove/ })
        .count(),
    ).toBe(0);
    expect(await dialog(bob).getByRole('button', { name: 'Leave this list' }).count()).toBe(1);
    expect(await axeViolations(bob)).toEqual([]);
    await shot(bob, '2-viewer-members');
    await dialog(bob).getByRole('button', { name: 'Close' }).click();
    expect(await axeViolations(bob)).toEqual([]);
    await shot(bob, '3-viewer-board');
  });

  it("makes the viewer an editor, whose task reaches the owner's board within 10 s", async () => {
    await alice.getByRole('button', { name: 'Share list “Trip”' }).click();
    const changed = apiCall(alice, 'PUT', /\/members\/bob$/);
    await alice.getByLabel('Role of bob').selectOption('editor');
    expect((await changed).status()).toBe(200);
    await dialog(alice).getByText('bob is now editor.').waitFor();
    await dialog(alice).getByRole('button', { name: 'Close' }).click();

    await refocus(bob);
    await quickAddTitle(bob).waitFor();
    expect(await bob.getByText('Shared · Editor · 2 members').count()).toBe(1);
    expect(await bob.getByRole('button', { name: 'Rename list “Trip”' }).count()).toBe(1);
    expect(await bob.getByRole('button', { name: 'Delete list “Trip”' }).count()).toBe(0);
    await addTask(bob, 'Pack the tent');
    const sent = Date.now();
    await task(alice, 'Pack the tent').waitFor({ timeout: SHARED_WITHIN_MS + 5_000 });
    const delay = Date.now() - sent;
    console.log(`shared board: bob's add reached alice's screen after ${delay} ms`);
    expect(delay).toBeLessThan(SHARED_WITHIN_MS);
    expect(await axeViolations(bob)).toEqual([]);
    await shot(bob, '4-editor-board');
  });

  it('shows the second of two members editing one task the current version, never overwriting it', async () => {
    for (const page of [alice, bob]) {
      await task(page, 'Book the train').getByRole('button', { name: 'Edit' }).click();
      await page.locator('input[id$="-title"][id^="edit-"]').waitFor();
    }
    const editTitle = (page: Page) => task(page, 'Book the train').getByLabel('Title');
    await editTitle(alice).fill('Book the night train');
    const first = apiCall(alice, 'PATCH', /\/tasks\/[^/]+$/);
    await editTitle(alice).press('Enter');
    expect((await first).status()).toBe(200);

    await editTitle(bob).fill('Book the bus');
    const second = apiCall(bob, 'PATCH', /\/tasks\/[^/]+$/);
    await editTitle(bob).press('Enter');
    expect((await second).status()).toBe(412);
    const alert = task(bob, 'Book the night train').getByRole('alert');
    await poll(() => alert.textContent()).toContain(
      'This task changed elsewhere, so your edit was not applied',
    );
    expect(await alert.textContent()).toContain('“Book the night train”');
    // Bob's draft is kept to apply again; the stored task is alice's.
    expect(await task(bob, 'Book the night train').getByLabel('Title').inputValue()).toBe('Book the bus');
    const stored = (await (
      await rig.api('GET', `/lists/${listId}/tasks`, undefined, TOKENS.alice)
    ).json()) as {
      title: string;
    }[];
    expect(stored.map((t) => t.title)).toContain('Book the night train');
    expect(stored.map((t) => t.title)).not.toContain('Book the bus');
    expect(await axeViolations(bob)).toEqual([]);
    await shot(bob, '5-conflict');
    await task(bob, 'Book the night train').getByRole('button', { name: 'Cancel' }).click();
  });

  it('removes the member: their board leaves the list, and their next load no longer shows it', async () => {
    await alice.getByRole('button', { name: 'Share list “Trip”' }).click();
    const removed = apiCall(alice, 'DELETE', /\/members\/bob$/);
    await dialog(alice).getByRole('button', { name: 'Remove bob' }).click();
    expect((await removed).status()).toBe(204);
    await poll(() => dialog(alice).getByRole('listitem').count()).toBe(1);
    await dialog(alice).getByRole('button', { name: 'Close' }).click();
    await poll(() => lists(alice).textContent()).not.toContain('Shared');

    // Bob's board meets the 404 at its next poll and gives way to My Tasks, saying why.
    await poll(() => boardHeading(bob).textContent(), SHARED_WITHIN_MS).toBe('My Tasks');
    await bob.getByText('no longer shared with you').waitFor();
    await bob.goto(`${rig.appUrl}#list=${listId}`);
    await bob.reload();
    await poll(() => boardHeading(bob).textContent()).toBe('My Tasks');
    expect(await listButton(bob, 'Trip').count()).toBe(0);
    await shot(bob, '6-removed');
  });

  it('lets a member leave a shared list, and tells the owner it cannot leave while others are members', async () => {
    await alice.getByLabel('New list').fill('Garden');
    await alice.getByRole('button', { name: 'Add list' }).click();
    await poll(() => boardHeading(alice).textContent()).toBe('Garden');
    const garden = decodeURIComponent(/#list=(.+)$/.exec(alice.url())?.[1] ?? '');
    const put = await rig.api('PUT', `/lists/${garden}/members/bob`, { role: 'viewer' }, TOKENS.alice);
    expect(put.status).toBe(201);
    await alice.getByRole('button', { name: 'Share list “Garden”' }).click();
    await dialog(alice).getByText('cannot leave this list while it has other members').waitFor();
    expect(await dialog(alice).getByRole('button', { name: 'Leave this list' }).count()).toBe(0);
    await alice.keyboard.press('Escape');

    await refocus(bob);
    await listButton(bob, 'Garden').click();
    await bob.getByRole('button', { name: 'Members of list “Garden”' }).click();
    bob.once('dialog', (confirm) => void confirm.accept());
    const left = apiCall(bob, 'DELETE', /\/members\/bob$/);
    await dialog(bob).getByRole('button', { name: 'Leave this list' }).click();
    expect((await left).status()).toBe(204);
    await bob.getByText('You left the list “Garden”.').waitFor();
    expect(await boardHeading(bob).textContent()).toBe('My Tasks');
    expect(await listButton(bob, 'Garden').count()).toBe(0);
  });
});
