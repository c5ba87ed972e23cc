import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type RunningPlayground, startPlayground } from '../../src/playground/start.ts';
import { chromiumLaunch } from '../support/chromium.ts';

// The playground as a person uses it, in headless Chromium: every step goes through the page, the page
// through signed requests to the real bot, and the bot's answers through the Slack stand-in back to the
// page. Nothing is read from the database: what is asserted is what is on the screen.

const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const WAIT = 30_000;
/**
 * Posts per channel per second, for the Slack stand-in and the relay alike: Slack's pace is 1, at which the
 * demo's fifty cards alone take a minute to arrive; the page and the bot behave the same either way. The other
 * Web API methods keep Slack's tiers (card edits go by chat.update, 50 a minute), so the queue drains for long
 * enough that the page's progress line is there to be seen.
 */
const RATE = 20;

let dir: string;
let playground: RunningPlayground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const launch = await chromiumLaunch();
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'vendor-risk-playground-'));
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
  playground = await startPlayground(config, {
    databaseFile: join(dir, 'playground.db'),
    log: createLogger('silent'),
    postsPerSecondPerChannel: RATE,
  });
  browser = await chromium.launch(launch);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(WAIT);
  await page.goto(playground.url);
});

afterAll(async () => {
  if (page) {
    await page.screenshot({ path: join(ARTIFACTS, 'playground-final.png') }).catch(() => undefined);
  }
  await browser?.close();
  await playground?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Picks the persona in the "Acting as" menu by the name it shows. */
async function actAs(name: string): Promise<string[]> {
  const label = await page.locator('#persona option', { hasText: name }).textContent();
  return page.getByLabel('Acting as').selectOption({ label: label ?? name });
}
const open = (conversation: string) =>
  page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: conversation }).click();
const messages = () => page.locator('#messages > article.msg');
/** The one top-level message whose text contains all of these, once it is on screen. */
async function messageWith(...texts: string[]): Promise<Locator> {
  return messageWithin(120_000, ...texts);
}
async function messageWithin(timeout: number, ...texts: string[]): Promise<Locator> {
  let found = messages();
  for (const text of texts) found = found.filter({ hasText: text });
  await found.last().waitFor({ timeout });
  return found.last();
}
async function command(text: string): Promise<void> {
  await page.getByLabel('Message or /vendor command').fill(text);
  await page.getByLabel('Message or /vendor command').press('Enter');
}
const modal = () => page.locator('#modal-dialog');
/** The second signature component: the persona's demo signing PIN, shown beside it, typed into the form. */
async function signWithDemoPin(name: string): Promise<void> {
  const label = (await page.locator('#persona option', { hasText: name }).textContent()) ?? '';
  await modal()
    .getByLabel('Your signing PIN')
    .fill(/demo signing PIN (\d+)/.exec(label)?.[1] ?? '');
  await modal().getByRole('button', { name: 'Sign and approve' }).click();
  await modal().waitFor({ state: 'hidden' });
}

describe('the playground in a browser', () => {
  it('runs the whole workflow as the analyst, approver, viewer and owner would', async () => {
    await expect(page.getByRole('heading', { name: '# vendor-findings' }).isVisible()).resolves.toBe(true);
    await expect(actAs('Dana Reyes')).resolves.toEqual(['UDEMOANALYST']);

    // Anyone can look a vendor up: the answer is a posture card only the asker sees.
    await command('/vendor posture Meridian Clinical Research');
    const posture = await messageWith('Meridian Clinical Research: grade', 'Only visible to you');
    expect(await posture.locator('.bk-header').first().textContent()).toMatch(/grade [A-F] \(\d+\/100\)/);

    // The analyst acknowledges an open finding: the same card changes in place and names her.
    // The seeded demo posts about fifty cards to this channel, and the edits that follow a click queue
    // behind them; meanwhile the page says how many have gone out.
    await page.getByText(/Posting queued messages .*: \d+ of \d+ sent/).waitFor();
    const card = await messageWithin(180_000, 'Backup restore not tested', 'Acknowledge');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    const acknowledged = await messageWith('Backup restore not tested', '(edited)', 'Acknowledged');
    expect(await acknowledged.textContent()).toContain('Dana Reyes');

    // ...and escalates it with a reason, in the modal the Escalate button opens.
    await acknowledged.getByRole('button', { name: 'Escalate' }).click();
    await modal().getByLabel('Why escalate?').fill('No restore test in a year; the eTMF holds the inspection record.');
    await modal().getByLabel('Requested action').selectOption({ label: 'Set a remediation deadline' });
    await modal().getByLabel('By (or until) date').fill(inDays(21));
    await modal().getByRole('button', { name: 'Ask an approver' }).click();
    await modal().waitFor({ state: 'hidden' });
    await messageWith('Asked the approvers', 'Only visible to you');

    // The approver signs the approval in the approvals channel, after the signing dialog.
    await actAs('Morgan Lee');
    await open('# vendor-approvals');
    const request = await messageWith('Backup restore not tested', 'Approve');
    await request.getByRole('button', { name: 'Approve' }).click();
    const signing = page.locator('#confirm-dialog');
    expect(await signing.textContent()).toContain("meaning 'approval'");
    await signing.getByRole('button', { name: 'Sign and approve' }).click();
    await signWithDemoPin('Morgan Lee');
    await open('# vendor-findings');
    const signed = await messageWith('Backup restore not tested', 'Signed by Morgan Lee');
    expect(await signed.textContent()).toMatch(
      /Signed by Morgan Lee, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, meaning: approval/,
    );

    // A viewer who tries to approve another request is refused, and only they see why.
    await actAs('Alex Kim');
    await open('# vendor-approvals');
    const other = await messageWith('Privileged accounts without MFA', 'Approve');
    await other.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Sign and approve' }).click();
    await messageWith("You don't have permission to approve or reject requests", 'Only visible to you');

    // A month later the scheduled triggers remind the owner, in their DM, to reassess.
    await actAs('Sam Patel');
    await open('Sam Patel (you)');
    const before = await messages().count();
    await page.getByRole('button', { name: '+1 month' }).click();
    await page.getByText('30 days ahead of real time').waitFor();
    await page.getByRole('button', { name: 'Run triggers' }).click();
    await messages().nth(before).waitFor();
    const reminder = await messageWith('Meridian Clinical Research', 'overdue', 'Start reassessment');
    const reminderTs = (await reminder.getAttribute('data-ts')) ?? '';
    const focusedMessage = () =>
      page.evaluate<string | undefined>("document.activeElement?.closest('article')?.dataset.ts");

    // The owner starts the questionnaire: focus is on its first answer. One answer and a comment, then Cancel.
    await reminder.getByRole('button', { name: 'Start reassessment' }).click();
    await modal().waitFor();
    expect(await page.evaluate("document.activeElement?.closest('.modal-body .input') != null")).toBe(true);
    await modal().getByRole('radio', { name: 'Partly' }).first().check();
    await modal().getByRole('textbox').first().fill('Restore test booked for next month');
    await modal().getByRole('button', { name: 'Cancel' }).click();
    await modal().waitFor({ state: 'hidden' });
    // Focus is back on the message the form came from.
    expect(await focusedMessage()).toBe(reminderTs);

    // Opened again, the form holds the draft the bot kept from what Slack sent when it was closed.
    await reminder.getByRole('button', { name: 'Start reassessment' }).click();
    await modal().waitFor();
    expect(await modal().textContent()).toContain('answered from your draft');
    expect(await modal().getByRole('radio', { name: 'Partly' }).first().isChecked()).toBe(true);
    expect(await modal().getByRole('textbox').first().inputValue()).toBe('Restore test booked for next month');

    // The owner answers the questionnaire in the modal and sees the vendor's new posture.
    await answerQuestionnaire();
    const result = await messageWith('Reassessment of Meridian Clinical Research submitted', 'Only visible to you');
    expect(await result.textContent()).toMatch(/Posture is now \d+\/100, grade [A-F]/);
    // The request to reassess is closed: edited in place to say who submitted it, with nothing left to start.
    const prompt = await messageWith('Reassessment requested: Meridian Clinical Research', 'Submitted by Sam Patel');
    expect(await prompt.textContent()).toContain('(edited)');
    expect(await prompt.getByRole('button').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-workflow.png') });
  }, 480_000);

  it('works from the keyboard alone and fits a narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await actAs('Dana Reyes');
    await open('# vendor-findings');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

    // The skip link leads to the composer; a command is typed and sent with Enter.
    await page.getByRole('link', { name: 'Skip to the message composer' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('/vendor help');
    await page.keyboard.press('Enter');
    await messageWith('/vendor posture', 'Only visible to you');

    // An overflow menu opens with the arrow key, an item is chosen with Enter, Escape closes its modal.
    const card = messages().filter({ has: page.getByRole('button', { name: 'More actions' }) });
    await card.last().getByRole('button', { name: 'More actions' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await modal().waitFor();
    expect(await page.evaluate('document.getElementById("modal-dialog").contains(document.activeElement)')).toBe(true);
    await page.keyboard.press('Escape');
    await modal().waitFor({ state: 'hidden' });
  }, 120_000);

  it('completes an @mention from the workspace, and leaves older messages where the reader left them', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });

    // The help's own example, typed: @ and two letters offer Dana, Enter picks her, and the bot gets a mention.
    await actAs('Jordan Blake');
    await open('Jordan Blake (you)');
    const composer = page.getByLabel('Message or /vendor command');
    await composer.focus();
    await page.keyboard.type('/vendor role @da');
    await page
      .getByRole('listbox', { name: 'People' })
      .getByRole('option', { name: /Dana Reyes/ })
      .waitFor();
    await page.keyboard.press('Enter');
    expect(await composer.inputValue()).toBe('/vendor role @dana ');
    await page.keyboard.type('approver');
    await page.keyboard.press('Enter');
    await messageWith('@Dana Reyes is now approver', 'Only visible to you');

    // Reading the oldest cards: a card edited and a message arriving move nothing on screen.
    await actAs('Dana Reyes');
    await open('# vendor-findings');
    await page.evaluate("document.getElementById('messages').scrollTop = 0");
    const jump = page.getByRole('button', { name: /Jump to latest/ });
    await jump.waitFor();
    const firstInView = () =>
      page.evaluate<{ ts: string; top: number }>(`(() => {
        const list = document.getElementById('messages');
        const top = list.getBoundingClientRect().top;
        const node = [...list.querySelectorAll(':scope > .msg')].find((m) => m.getBoundingClientRect().bottom > top);
        return { ts: node.dataset.ts, top: Math.round(node.getBoundingClientRect().top - top) };
      })()`);
    const card = messages()
      .filter({ has: page.getByRole('button', { name: 'Acknowledge' }) })
      .first();
    const cardTs = (await card.getAttribute('data-ts')) ?? '';
    // (Clicking scrolls the card into view; from there on nothing may move.)
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    const before = await firstInView();
    await page
      .locator(`#messages > article.msg[data-ts="${cardTs}"]`, { hasText: '(edited)' })
      .waitFor({ timeout: 120_000 });
    expect(await firstInView()).toEqual(before);
    const sent = await page.request.post(`${playground.url}playground/api/command`, {
      data: { as: 'UDEMOANALYST', channel: 'CDEMOFINDINGS', text: '/vendor help' },
    });
    expect(await sent.json()).toEqual({ ok: true });
    await page.getByRole('button', { name: /Jump to latest \(\d+ new\)/ }).waitFor();
    expect(await firstInView()).toEqual(before);

    // "Jump to latest" leads to the newest message, and goes away there.
    await jump.click();
    await jump.waitFor({ state: 'hidden' });
    expect(await messages().last().textContent()).toContain('/vendor posture');
  }, 240_000);

  it("refreshes the approver's Home after an approval made there", async () => {
    await actAs('Morgan Lee');
    await open('Morgan Lee (you)');
    await page.getByRole('navigation', { name: 'Bot views' }).getByRole('button', { name: 'Home' }).click();
    // The header counts every decision waiting; the list itself shows only the first few.
    const decisions = (n: number | string) =>
      page.locator('#messages').getByText(new RegExp(`^Decisions waiting for you \\(${n}\\)$`));
    await decisions('\\d+').first().waitFor();
    const waiting = Number(/\((\d+)\)/.exec((await decisions('\\d+').first().textContent()) ?? '')?.[1]);
    const approve = page.locator('#messages').getByRole('button', { name: 'Approve', exact: true });
    await approve.first().click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Sign and approve' }).click();
    await signWithDemoPin('Morgan Lee');
    // Without opening Home again, the decision is gone from it.
    await decisions(waiting - 1)
      .first()
      .waitFor({ timeout: WAIT });
  }, 120_000);
});

/** Every control answered "Yes", page after page, until the form is submitted. */
async function answerQuestionnaire(): Promise<void> {
  await modal().waitFor();
  for (;;) {
    const title = (await modal().locator('#modal-title').textContent()) ?? '';
    for (const yes of await modal().getByRole('radio', { name: 'Yes' }).all()) await yes.check();
    const submit = modal().locator('button[type="submit"]');
    const label = (await submit.textContent())?.trim();
    await submit.click();
    if (label !== 'Next') break;
    await modal().locator('#modal-title', { hasNotText: title }).waitFor();
  }
  await modal().waitFor({ state: 'hidden' });
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
