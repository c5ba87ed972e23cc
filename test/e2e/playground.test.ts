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

let dir: string;
let playground: RunningPlayground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const launch = await chromiumLaunch();
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'vendor-risk-playground-'));
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
  playground = await startPlayground(config, { databaseFile: join(dir, 'playground.db'), log: createLogger('silent') });
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

describe('the playground in a browser', () => {
  it('runs the whole workflow as the analyst, approver, viewer and owner would', async () => {
    await expect(page.getByRole('heading', { name: '# vendor-findings' }).isVisible()).resolves.toBe(true);
    await expect(actAs('Dana Reyes')).resolves.toEqual(['UDEMOANALYST']);

    // Anyone can look a vendor up: the answer is a posture card only the asker sees.
    await command('/vendor posture Meridian Clinical Research');
    const posture = await messageWith('Meridian Clinical Research: grade', 'Only visible to you');
    expect(await posture.locator('.bk-header').first().textContent()).toMatch(/grade [A-F] \(\d+\/100\)/);

    // The analyst acknowledges an open finding: the same card changes in place and names her.
    // The seeded demo posts about a hundred cards to this channel at Slack's pace of one a second per channel,
    // and the edits that follow a click queue behind them.
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
    // The second signature component: Morgan's demo signing PIN, shown beside the persona.
    const pin = /demo signing PIN (\d+)/.exec(
      (await page.locator('#persona option', { hasText: 'Morgan Lee' }).textContent()) ?? '',
    )?.[1];
    await modal()
      .getByLabel('Your signing PIN')
      .fill(pin ?? '');
    await modal().getByRole('button', { name: 'Sign and approve' }).click();
    await modal().waitFor({ state: 'hidden' });
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

    // The owner answers the questionnaire in the modal and sees the vendor's new posture.
    await reminder.getByRole('button', { name: 'Start reassessment' }).click();
    await answerQuestionnaire();
    const result = await messageWith('Reassessment of Meridian Clinical Research submitted', 'Only visible to you');
    expect(await result.textContent()).toMatch(/Posture is now \d+\/100, grade [A-F]/);
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
