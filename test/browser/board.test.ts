// Long on purpose (~280 lines): the desktop, keyboard-only and phone runs share one npm start and one
// Chromium, which is most of the file's time; split, each part would start its own.
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_LIMITS } from '../../src/domain/task.js';
import {
  apiCall,
  axeViolations,
  type BoardRig,
  poll,
  signIn,
  startBoardRig,
  task,
  taskList,
  titlesShown,
} from './board-page.js';

/**
 * The board as a person meets it, on a desktop (1280×800) and a phone (390×844): quick add, errors beside
 * their fields, the keyboard alone, filters, tags and due dates. One npm start and one Chromium serve every
 * test; the tests run in order.
 */
let rig: BoardRig;
let desktop: BrowserContext;
let page: Page;
const today = new Date();
const localDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

const SEED = [
  { title: 'Pay the electricity bill', dueDate: '2020-03-01', priority: 'HIGH', tags: ['home', 'bills'] },
  { title: 'Book the dentist', priority: 'LOW', status: 'DONE', tags: ['health'] },
  { title: 'Call the plumber', dueDate: '2099-01-10', tags: ['home'] },
  { title: 'Plan the team offsite', description: 'Venue, dates, agenda', tags: ['work'] },
  { title: 'Water the plants' },
  { title: 'Renew the passport', dueDate: localDay(today), priority: 'HIGH', tags: ['home'] },
  {
    title: 'Write the quarterly report',
    description: 'Numbers from finance first',
    priority: 'HIGH',
    dueDate: '2099-12-01',
    status: 'IN_PROGRESS',
    tags: ['work'],
  },
];
const title = (target: Page) => target.getByLabel('Title', { exact: true }).first();
const activeId = (target: Page) => target.evaluate('document.activeElement?.id') as Promise<string>;

beforeAll(async () => {
  rig = await startBoardRig();
  for (const fields of SEED) expect((await rig.api('POST', '/tasks', fields)).status).toBe(201);
  // A second list, so the lists panel (and the README's picture of it) shows more than the default one.
  expect((await rig.api('POST', '/lists', { title: 'Groceries' })).status).toBe(201);
  desktop = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
  desktop.setDefaultTimeout(10_000);
  page = await desktop.newPage();
  await signIn(page, rig);
  await taskList(page)
    .getByRole('listitem')
    .nth(SEED.length - 1)
    .waitFor();
}, 150_000);
afterAll(async () => {
  await rig?.close();
});

describe('the board on a desktop', () => {
  it('has no accessibility violation as it opens (axe-core, every impact)', async () => {
    expect(await axeViolations(page)).toEqual([]);
    // `UPDATE_SCREENSHOTS=1 npx vitest run test/browser/board.test.ts` refreshes the README's image.
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: 'docs/img/task-board.png' });
  });

  it('has no accessibility violation in a dark colour scheme either', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('marks overdue and due-today tasks in words and in colour, and done tasks never', async () => {
    const overdue = task(page, 'Pay the electricity bill');
    expect(await overdue.getByText('Overdue', { exact: true }).isVisible()).toBe(true);
    expect(await task(page, 'Renew the passport').getByText('Due today', { exact: true }).isVisible()).toBe(
      true,
    );
    expect(
      await task(page, 'Call the plumber')
        .getByText(/Overdue|Due today/)
        .count(),
    ).toBe(0);
    const colours = (await page.evaluate(`(() => {
      const mark = document.querySelector('.due-mark-overdue');
      return [getComputedStyle(mark).color, getComputedStyle(mark.parentElement).color];
    })()`)) as string[];
    expect(colours[0]).not.toBe(colours[1]);
  });

  it('sorts by due date with orders named by due date', async () => {
    await page.getByLabel('Sort by').selectOption('dueDate');
    const orders = await page.getByLabel('Order').locator('option').allTextContents();
    expect(orders).toEqual(['Soonest due first', 'Latest due first']);
    await poll(() => titlesShown(page).then((titles) => titles[0])).toBe('Pay the electricity bill');
    await page.getByLabel('Sort by').selectOption('createdAt');
    expect(await page.getByLabel('Order').locator('option').allTextContents()).toEqual([
      'Newest first',
      'Oldest first',
    ]);
  });

  it('filters by tag as it is typed, # or not, and clearing the field shows every task again', async () => {
    await page.getByLabel('Filter by tag').pressSequentially('#work');
    await poll(() => titlesShown(page)).toEqual(['Write the quarterly report', 'Plan the team offsite']);
    await page.getByLabel('Filter by tag').fill(''); // what the × of a search field does
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(SEED.length);
  });

  it('filters by a tag clicked on a task', async () => {
    await task(page, 'Call the plumber').getByRole('button', { name: '#home' }).click();
    expect(await page.getByLabel('Filter by tag').inputValue()).toBe('#home');
    await poll(() => titlesShown(page)).toEqual([
      'Renew the passport',
      'Call the plumber',
      'Pay the electricity bill',
    ]);
    await page.getByLabel('Filter by tag').fill('');
    await poll(() => taskList(page).getByRole('listitem').count()).toBe(SEED.length);
  });

  it('accepts tags typed with a leading #', async () => {
    await title(page).fill('Tagged with hashes');
    await page.getByRole('button', { name: 'Details' }).click();
    await page.locator('#new-tags').fill('#errands, #home');
    const posted = apiCall(page, 'POST', /\/tasks$/);
    await title(page).press('Enter');
    expect(JSON.parse((await posted).request().postData() ?? '{}').tags).toEqual(['errands', 'home']);
    await task(page, 'Tagged with hashes').getByRole('button', { name: '#errands' }).waitFor();
  });

  it('shows an error beside its field, marked invalid and described by it, without sending the task', async () => {
    let posts = 0;
    const count = (request: Request) => request.method() === 'POST' && posts++;
    page.on('request', count);
    await title(page).fill('Too many tags');
    await page.locator('#new-tags').fill('a b c d e f');
    await title(page).press('Enter');
    const tags = page.locator('#new-tags');
    await poll(() => tags.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await tags.getAttribute('aria-describedby')) ?? '';
    const error = page.locator(`[id="${describedBy.split(' ')[0]}"]`);
    expect(await error.textContent()).toBe(`At most ${TASK_LIMITS.maxTags} tags`);
    // Beside the field: right under it, not in another column.
    const [field, message] = await Promise.all([tags.boundingBox(), error.boundingBox()]);
    expect(Math.abs((message?.y ?? 0) - ((field?.y ?? 0) + (field?.height ?? 0)))).toBeLessThan(40);
    expect(Math.abs((message?.x ?? 0) - (field?.x ?? 0))).toBeLessThan(40);
    expect(await activeId(page)).toBe('new-tags');
    expect(await axeViolations(page)).toEqual([]);
    page.off('request', count);
    expect(posts).toBe(0);
    await tags.fill('');
    await title(page).fill('');
    await page.getByRole('button', { name: 'Details' }).click();
  });

  it('limits the title and description to the API’s lengths, in the add form and the editor', async () => {
    expect(await title(page).getAttribute('maxlength')).toBe(String(TASK_LIMITS.titleMaxLength));
    const card = task(page, 'Water the plants');
    await card.getByRole('button', { name: 'Edit' }).click();
    expect(await card.getByLabel('Title').getAttribute('maxlength')).toBe(String(TASK_LIMITS.titleMaxLength));
    expect(await card.getByLabel('Description').getAttribute('maxlength')).toBe(
      String(TASK_LIMITS.descriptionMaxLength),
    );
    await card.getByLabel('Title').fill('   ');
    await card.getByRole('button', { name: 'Save' }).click();
    expect(await card.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await card.getByText("Field 'title' must not be empty").isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('the board with the keyboard alone', () => {
  it('opens with the focus in Title, and Enter adds the task and returns there', async () => {
    await page.reload();
    await taskList(page).getByRole('listitem').first().waitFor();
    expect(await activeId(page)).toBe('new-title');
    await page.keyboard.type('Typed, not clicked');
    await page.keyboard.press('Enter');
    await task(page, 'Typed, not clicked').waitFor();
    expect(await activeId(page)).toBe('new-title');
    expect(await title(page).inputValue()).toBe('');
  });

  it('writes a status once when arrowing through it', async () => {
    const patches: string[] = [];
    const collect = (request: Request) =>
      request.method() === 'PATCH' && patches.push(request.postData() ?? '');
    page.on('request', collect);
    for (let i = 0; i < 20 && !(await activeId(page)).startsWith('status-'); i++)
      await page.keyboard.press('Tab');
    // The first task in the manual order: the first seeded, To do.
    const card = task(page, SEED[0]?.title ?? '');
    expect(await activeId(page)).toBe(await card.getByLabel('Status').getAttribute('id'));
    const answered = apiCall(page, 'PATCH', /\/tasks\/[^/]+$/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect((await answered).status()).toBe(200);
    await page.waitForTimeout(1_500); // no later write follows
    page.off('request', collect);
    expect(patches.map((body) => JSON.parse(body))).toEqual([{ status: 'DONE' }]);
  });
});

describe('the board with the keyboard alone, editing and deleting', () => {
  it('opens the editor with the focus in its Title, and Escape closes it and returns to Edit', async () => {
    const card = task(page, 'Water the plants');
    await card.getByRole('button', { name: 'Edit' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => activeId(page)).toMatch(/^edit-.+-title$/);
    await page.keyboard.press('Escape');
    await poll(() => card.getByRole('form').count()).toBe(0);
    expect(
      await card.getByRole('button', { name: 'Edit' }).evaluate((b) => b === b.ownerDocument.activeElement),
    ).toBe(true);
  });

  it('moves the focus to the next task after a delete (the one before, after the last)', async () => {
    const titles = await titlesShown(page);
    const at = titles.indexOf('Typed, not clicked');
    const next = task(page, titles[at + 1] ?? titles[at - 1] ?? '');
    page.once('dialog', (dialog) => void dialog.accept());
    await task(page, 'Typed, not clicked').getByRole('button', { name: 'Delete' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => task(page, 'Typed, not clicked').count()).toBe(0);
    await poll(() => activeId(page)).toBe((await next.getByLabel('Status').getAttribute('id')) ?? '');
  });
});

describe('the board on a phone (390×844)', () => {
  let phone: Page;

  beforeAll(async () => {
    const context = await rig.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    phone = await context.newPage();
    await signIn(phone, rig);
    await taskList(phone).getByRole('listitem').first().waitFor();
  });

  it('opens on the tasks, with the quick add on top, at least 6 in view, and no sideways scrolling', async () => {
    const boxes = await taskList(phone)
      .getByRole('listitem')
      .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().bottom));
    const inView = boxes.filter((bottom) => bottom <= 844).length;
    console.log(`phone: ${inView} tasks fully in the first screen`);
    expect(inView).toBeGreaterThanOrEqual(6);
    expect(
      await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    const [add, first] = await Promise.all([
      title(phone).boundingBox(),
      taskList(phone).getByRole('listitem').first().boundingBox(),
    ]);
    expect(add?.y ?? 844).toBeLessThan(first?.y ?? 0);
    // A phone's keyboard would cover the tasks: nothing takes the focus at load.
    expect(await activeId(phone)).not.toBe('new-title');
    if (process.env.UPDATE_SCREENSHOTS) await phone.screenshot({ path: '.tmp/board-phone.png' });
  });

  it('shows an error beside its field, in view', async () => {
    await title(phone).fill('x');
    await phone.getByRole('button', { name: 'Details' }).click();
    await phone.locator('#new-tags').fill('a b c d e f');
    await phone.getByRole('button', { name: 'Add task' }).click();
    const error = phone.getByText(`At most ${TASK_LIMITS.maxTags} tags`);
    await error.waitFor();
    const box = await error.boundingBox();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(844);
    expect(await axeViolations(phone)).toEqual([]);
  });

  it('opens the filters on demand, the summary saying what applies', async () => {
    const summary = phone.getByText('Filter and sort');
    expect(await phone.getByLabel('Filter by status').isVisible()).toBe(false);
    await summary.click();
    await phone.getByLabel('Filter by status').selectOption('DONE');
    await poll(() => phone.locator('.filter-panel summary').textContent()).toContain('Done');
    expect(await axeViolations(phone)).toEqual([]);
  });
});
