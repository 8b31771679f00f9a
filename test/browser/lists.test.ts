// Long on purpose (~260 lines): lists, subtasks and both ways of reordering share one npm start and one
// Chromium, which is most of the file's time; split, each part would start its own.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_LIMITS } from '../../src/domain/change-feed.js';
import { POLL_TIMING } from '../../web/src/poll-timing.js';
import {
  apiCall,
  axeViolations,
  type BoardRig,
  boardHeading,
  poll,
  signIn,
  startBoardRig,
  task,
  titlesShown,
} from './board-page.js';

/**
 * Lists, subtasks and the manual order as a person meets them: the lists panel (create, rename, delete),
 * tasks that land in the list shown, subtasks indented under their parent and deleted with it, reordering
 * with Move up / Move down and by drag and drop, and the order kept across a reload. The tests run in order
 * and share one list.
 */
let rig: BoardRig;
let context: BrowserContext;
let page: Page;
let listId = '';
const SHOPPING = ['Milk', 'Bread', 'Eggs'];
const LIVE_WITHIN_MS = FEED_LIMITS.settleMs + POLL_TIMING.visibleMs + 10_000;

const lists = (target: Page) => target.getByRole('navigation', { name: 'Lists' });
const listButton = (target: Page, name: string) => lists(target).getByRole('button', { name, exact: true });
const title = (target: Page) => target.getByLabel('Title', { exact: true }).first();
const activeId = (target: Page) => target.evaluate('document.activeElement?.id') as Promise<string>;
const json = async <T>(response: Response) => (await response.json()) as T;
type Listed = { taskId: string; title: string; parentId?: string; listId: string };
const listed = async (path: string) => json<Listed[]>(await rig.api('GET', path));
const idOf = async (name: string) =>
  (await listed(`/lists/${listId}/tasks?sort=position`)).find((t) => t.title === name)?.taskId ?? '';

async function add(target: Page, name: string): Promise<void> {
  await title(target).fill(name);
  const posted = apiCall(target, 'POST', /\/tasks$/);
  await title(target).press('Enter');
  expect((await posted).status()).toBe(201);
  await task(target, name).waitFor();
}

/** Presses a card's move button with the keyboard, and returns the move's request body. */
async function moveByKey(name: string, direction: 'up' | 'down'): Promise<unknown> {
  await task(page, name)
    .getByRole('button', { name: `Move ${name} ${direction}` })
    .focus();
  const moved = apiCall(page, 'POST', /\/move$/);
  await page.keyboard.press('Enter');
  const response = await moved;
  expect(response.status()).toBe(200);
  return JSON.parse(response.request().postData() ?? '{}');
}

/** Drags a card by its grip (at its left edge) onto the upper or lower half of another. */
async function drag(name: string, onto: string, half: 'upper' | 'lower'): Promise<void> {
  const [from, to] = await Promise.all([task(page, name).boundingBox(), task(page, onto).boundingBox()]);
  await task(page, name).dragTo(task(page, onto), {
    sourcePosition: { x: 8, y: (from?.height ?? 20) / 2 },
    targetPosition: { x: 40, y: half === 'upper' ? 4 : (to?.height ?? 20) - 4 },
  });
}

beforeAll(async () => {
  rig = await startBoardRig();
  context = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  await signIn(page, rig);
}, 150_000);
afterAll(async () => {
  await rig?.close();
});

describe('the lists panel', () => {
  it('opens on My Tasks, the default list, first in the panel and shown', async () => {
    await poll(() => boardHeading(page).textContent()).toBe('My Tasks');
    expect(await lists(page).getByRole('button').first().textContent()).toBe('My Tasks');
    expect(await listButton(page, 'My Tasks').getAttribute('aria-current')).toBe('page');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('creates a list and shows its board, remembered across a reload', async () => {
    await page.getByLabel('New list').fill('Groceries');
    const created = apiCall(page, 'POST', /\/lists$/);
    await page.getByLabel('New list').press('Enter');
    const response = await created;
    expect(response.status()).toBe(201);
    listId = ((await response.json()) as { listId: string }).listId;
    await poll(() => boardHeading(page).textContent()).toBe('Groceries');
    expect(await listButton(page, 'Groceries').getAttribute('aria-current')).toBe('page');
    await page.getByText('No tasks yet').waitFor();
    await page.reload();
    await poll(() => boardHeading(page).textContent()).toBe('Groceries');
    expect(page.url()).toContain(listId);
  });

  it('adds tasks to the list shown, and only to it', async () => {
    for (const name of SHOPPING) await add(page, name);
    expect(await titlesShown(page)).toEqual(SHOPPING);
    expect((await listed(`/lists/${listId}/tasks`)).map((t) => t.title).sort()).toEqual([...SHOPPING].sort());
    expect(await listed('/tasks')).toEqual([]);
    await listButton(page, 'My Tasks').click();
    await poll(() => boardHeading(page).textContent()).toBe('My Tasks');
    await page.getByText('No tasks yet').waitFor();
    await listButton(page, 'Groceries').click();
    await task(page, 'Milk').waitFor();
  });
});

describe('subtasks', () => {
  it('adds subtasks from their parent, indented under it', async () => {
    const bread = task(page, 'Bread');
    await bread.getByRole('button', { name: 'Add subtask' }).click();
    for (const name of ['Sourdough', 'Rye']) {
      await bread.getByLabel('Subtask', { exact: true }).fill(name);
      const posted = apiCall(page, 'POST', /\/tasks$/);
      await bread.getByLabel('Subtask', { exact: true }).press('Enter');
      expect(JSON.parse((await posted).request().postData() ?? '{}')).toEqual({
        title: name,
        parentId: await idOf('Bread'),
      });
      await task(page, name).waitFor();
    }
    expect(await titlesShown(page)).toEqual(['Milk', 'Bread', 'Sourdough', 'Rye', 'Eggs']);
    const [parent, child] = await Promise.all([bread.boundingBox(), task(page, 'Sourdough').boundingBox()]);
    expect((child?.x ?? 0) - (parent?.x ?? 0)).toBeGreaterThanOrEqual(16);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/lists-subtasks.png' });
    await bread.getByRole('button', { name: 'Done' }).click();
  });
});

describe('reordering', () => {
  it('moves a task up and down with the keyboard, the focus staying on the button', async () => {
    expect(await moveByKey('Eggs', 'up')).toEqual({ previousId: await idOf('Milk'), parentId: null });
    await poll(() => titlesShown(page)).toEqual(['Milk', 'Eggs', 'Bread', 'Sourdough', 'Rye']);
    expect(await activeId(page)).toBe(`move-up-${await idOf('Eggs')}`);
    expect(await moveByKey('Eggs', 'up')).toEqual({ previousId: null, parentId: null });
    await poll(() => titlesShown(page)).toEqual(['Eggs', 'Milk', 'Bread', 'Sourdough', 'Rye']);
    // At the top now: the button says so, and keeps the focus.
    expect(
      await task(page, 'Eggs').getByRole('button', { name: 'Move Eggs up' }).getAttribute('aria-disabled'),
    ).toBe('true');
    expect(await moveByKey('Milk', 'down')).toEqual({ previousId: await idOf('Bread'), parentId: null });
    await poll(() => titlesShown(page)).toEqual(['Eggs', 'Bread', 'Sourdough', 'Rye', 'Milk']);
  });

  it('moves a subtask within its parent', async () => {
    expect(await moveByKey('Rye', 'up')).toEqual({ previousId: null, parentId: await idOf('Bread') });
    await poll(() => titlesShown(page)).toEqual(['Eggs', 'Bread', 'Rye', 'Sourdough', 'Milk']);
  });

  it('moves a task by drag and drop, its subtasks with it', async () => {
    const moved = apiCall(page, 'POST', /\/move$/);
    await drag('Bread', 'Eggs', 'upper'); // the upper half of a card: before it
    const response = await moved;
    expect(response.status()).toBe(200);
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ previousId: null, parentId: null });
    await poll(() => titlesShown(page)).toEqual(['Bread', 'Rye', 'Sourdough', 'Eggs', 'Milk']);

    await drag('Bread', 'Milk', 'lower'); // the lower half: after it
    await poll(() => titlesShown(page)).toEqual(['Eggs', 'Milk', 'Bread', 'Rye', 'Sourdough']);
  });

  it('keeps the manual order across a reload, as the API lists it', async () => {
    const order = ['Eggs', 'Milk', 'Bread', 'Rye', 'Sourdough'];
    await page.reload();
    await task(page, 'Sourdough').waitFor();
    expect(await titlesShown(page)).toEqual(order);
    expect((await listed(`/lists/${listId}/tasks?sort=position`)).map((t) => t.title)).toEqual(order);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/lists-board.png' });
  });

  it('shows a task added and a move made elsewhere, in this list only, without a reload', async () => {
    const added = await rig.api('POST', `/lists/${listId}/tasks`, { title: 'Butter' });
    expect(added.status).toBe(201);
    expect((await rig.api('POST', '/tasks', { title: 'Not groceries' })).status).toBe(201);
    const butter = ((await added.json()) as { taskId: string }).taskId;
    const moved = await rig.api('POST', `/lists/${listId}/tasks/${butter}/move`, { previousId: null });
    expect(moved.status).toBe(200);
    await poll(() => titlesShown(page).then((titles) => titles[0]), LIVE_WITHIN_MS).toBe('Butter');
    expect(await task(page, 'Not groceries').count()).toBe(0);
  });
});

describe('deleting', () => {
  it('deletes a parent with its subtasks, after a confirmation that says so', async () => {
    const subtaskId = await idOf('Rye');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await task(page, 'Bread').getByRole('button', { name: 'Delete' }).click();
    await poll(() => titlesShown(page)).toEqual(['Butter', 'Eggs', 'Milk']);
    expect(asked).toBe('Delete “Bread” and its 2 subtasks?');
    expect((await rig.api('GET', `/lists/${listId}/tasks/${subtaskId}`)).status).toBe(404);
  });
});

describe('renaming and deleting lists', () => {
  it('renames the list shown', async () => {
    await page.getByRole('button', { name: 'Rename list “Groceries”' }).click();
    await page.getByLabel('List title').fill('Shopping');
    const renamed = apiCall(page, 'PATCH', /\/lists\/[^/]+$/);
    await page.getByLabel('List title').press('Enter');
    const response = await renamed;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe('"1"');
    await poll(() => boardHeading(page).textContent()).toBe('Shopping');
    await listButton(page, 'Shopping').waitFor();
    expect(await activeId(page)).toBe('rename-list');
  });

  it('deletes a list only after the confirmation is accepted, then shows My Tasks', async () => {
    const remove = page.getByRole('button', { name: 'Delete list “Shopping”' });
    page.once('dialog', (dialog) => void dialog.dismiss());
    await remove.click();
    expect(await listButton(page, 'Shopping').count()).toBe(1);

    page.once('dialog', (dialog) => void dialog.accept());
    const deleted = apiCall(page, 'DELETE', /\/lists\/[^/]+$/);
    await remove.click();
    expect((await deleted).status()).toBe(204);
    await poll(() => boardHeading(page).textContent()).toBe('My Tasks');
    expect(await listButton(page, 'Shopping').count()).toBe(0);
    await task(page, 'Not groceries').waitFor();
    expect((await rig.api('GET', `/lists/${listId}`)).status).toBe(404);
  });

  it('opens My Tasks, saying why, when the list in the address no longer exists', async () => {
    await page.goto(`${rig.appUrl}#list=${listId}`);
    await page.reload();
    await page
      .getByText('That list no longer exists or is no longer shared with you: showing My Tasks.')
      .waitFor();
    expect(await boardHeading(page).textContent()).toBe('My Tasks');
    expect(page.url()).not.toContain(listId);
  });

  it('never offers to delete My Tasks', async () => {
    expect(await page.getByRole('button', { name: /^Delete list/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Rename list “My Tasks”' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('on a phone (390×844)', () => {
  let phone: Page;

  it('keeps the lists in one line that names the list shown, with no sideways scrolling', async () => {
    phone = await (
      await rig.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    ).newPage();
    await signIn(phone, rig);
    await task(phone, 'Not groceries').waitFor();
    await poll(() => phone.locator('.lists-panel summary').textContent()).toContain('My Tasks');
    expect(await listButton(phone, 'My Tasks').isVisible()).toBe(false);
    expect(
      await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    expect(await axeViolations(phone)).toEqual([]);
  });

  it('shows the moves and Add subtask while arranging, which a phone turns on', async () => {
    const card = task(phone, 'Not groceries');
    expect(await card.getByRole('button', { name: 'Add subtask' }).isVisible()).toBe(false);
    await phone.getByRole('button', { name: 'Arrange' }).click();
    expect(await phone.getByRole('button', { name: 'Arrange' }).getAttribute('aria-pressed')).toBe('true');
    expect(await card.getByRole('button', { name: 'Move Not groceries down' }).isVisible()).toBe(true);
    expect(await card.getByRole('button', { name: 'Add subtask' }).isVisible()).toBe(true);
    expect(
      await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    expect(await axeViolations(phone)).toEqual([]);
    await phone.screenshot({ path: '/tmp/lists-phone.png' });
  });
});
