import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { verifyAuditTrail } from '../../src/core/audit/verify.ts';
import { ACTIVE_STATES } from '../../src/core/findings/states.ts';
import { createLogger } from '../../src/log.ts';
import { playgroundAuditKey } from '../../src/playground/audit-key.ts';
import { PLAYGROUND_CLOCK_MOVED } from '../../src/playground/clock-label.ts';
import { PUBLIC_DIR } from '../../src/playground/routes.ts';
import type { MessageView, Snapshot } from '../../src/playground/snapshot.ts';
import { type RunningPlayground, startPlayground } from '../../src/playground/start.ts';
import { openStore } from '../../src/store/database.ts';

// The playground server over HTTP, as the page uses it: what it keeps between runs, what Reset does,
// what it refuses (as Slack's own client would), and that the page needs nothing from elsewhere.

const ANALYST = 'UDEMOANALYST';
const FINDINGS = 'CDEMOFINDINGS';
const DAY = 86_400_000;
/** Posts per channel per second: raised (for the stand-in and the relay alike) so the tests are quick. */
const RATE = 20;
/** Calls per minute of every other Web API method (the card edits go by chat.update), raised the same way. */
const TIER = 1_000;
const SLOW = 150_000;

let dir: string;
let running: RunningPlayground[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vendor-risk-playground-api-'));
  running = [];
});

afterEach(async () => {
  for (const p of running) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<RunningPlayground> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
  const p = await startPlayground(config, {
    databaseFile: join(dir, 'playground.db'),
    log: createLogger('silent'),
    postsPerSecondPerChannel: RATE,
    tierPerMinute: TIER,
  });
  running.push(p);
  return p;
}

async function stop(p: RunningPlayground): Promise<void> {
  running = running.filter((r) => r !== p);
  await p.stop();
}

const post = async (p: RunningPlayground, path: string, body: object) => {
  const response = await fetch(`${p.url}playground/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const state = async (p: RunningPlayground, as = ANALYST): Promise<Snapshot> =>
  (await fetch(`${p.url}playground/api/state?as=${as}`)).json() as Promise<Snapshot>;

/** Reads the persona's view until `found` finds what it looks for (the bot answers asynchronously). */
async function eventually<T>(p: RunningPlayground, found: (s: Snapshot) => T | undefined, as = ANALYST): Promise<T> {
  for (let tries = 0; tries < 900; tries += 1) {
    const hit = found(await state(p, as));
    if (hit !== undefined && hit !== null && hit !== false) return hit;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the playground never showed what was expected');
}

const findings = (s: Snapshot) => s.conversations.find((c) => c.id === FINDINGS)?.messages ?? [];
const withText = (text: string) => (m: MessageView) => m.text.includes(text) || JSON.stringify(m.blocks).includes(text);
/** The action ids of a message's buttons, e.g. finding.ack. */
const actionIds = (m: MessageView): string[] =>
  [...JSON.stringify(m.blocks).matchAll(/"action_id":"([^"]+)"/g)].map((x) => x[1] ?? '');

const backupCard = (s: Snapshot) => findings(s).find(withText('Backup restore not tested'));
const acknowledgedCard = (s: Snapshot) => {
  const card = backupCard(s);
  return card?.edited && JSON.stringify(card.blocks).includes('Acknowledged') ? card : undefined;
};

/** Uses the control on a message whose action id starts with `action` (the renderer numbers repeats). */
async function click(p: RunningPlayground, m: MessageView, action: string, as = ANALYST) {
  const actionId = actionIds(m).find((id) => id.startsWith(action)) ?? action;
  const place = { channel: FINDINGS, ts: m.ts, ephemeral: m.ephemeral };
  return (await post(p, 'click', { as, place, actionId, choice: null })).body;
}

describe('the playground server', () => {
  it(
    'keeps the database and the conversations between runs, and resumes the clock, never earlier',
    async () => {
      const first = await start();
      expect(await click(first, await eventually(first, backupCard), 'finding.ack')).toEqual({ ok: true });
      const acknowledged = await eventually(first, acknowledgedCard);
      expect((await post(first, 'clock', { days: 7 })).body.ok).toBe(true);
      expect((await post(first, 'triggers', {})).body.ok).toBe(true);
      expect((await state(first)).aheadMs).toBeGreaterThanOrEqual(7 * DAY);
      await stop(first);
      // Its future dates are labelled as simulated in its own database, and its trail is keyed and verifies.
      const kept = await openStore(join(dir, 'playground.db'));
      const moved = await kept.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', PLAYGROUND_CLOCK_MOVED)
        .execute();
      expect(moved.map((r) => r.reason)).toEqual([expect.stringContaining('Playground: simulated time, 7 days ahead')]);
      const verdict = await verifyAuditTrail(kept.db, { key: playgroundAuditKey(join(dir, 'playground.db')) });
      await kept.close();
      expect(verdict).toMatchObject({ ok: true, keyedRows: verdict.rows });

      const second = await start();
      const after = await state(second);
      expect(after.aheadMs).toBeGreaterThanOrEqual(7 * DAY - 60_000);
      // The same card as it was left: not a second seeding, and not an empty channel.
      expect(acknowledgedCard(after)?.ts).toBe(acknowledged.ts);
    },
    SLOW,
  );

  it(
    'Reset wipes what was done, seeds the demo again and puts the clock back to real time',
    async () => {
      const p = await start();
      expect(await click(p, await eventually(p, backupCard), 'finding.ack')).toEqual({ ok: true });
      await eventually(p, acknowledgedCard);
      await post(p, 'clock', { days: 30 });

      expect((await post(p, 'reset', {})).body).toEqual({ ok: true });
      const fresh = await eventually(p, backupCard);
      expect(actionIds(fresh).some((id) => id.startsWith('finding.ack'))).toBe(true);
      expect(fresh.edited).toBe(false);
      expect((await state(p)).aheadMs).toBeLessThan(DAY);
    },
    SLOW,
  );

  it(
    'refuses what Slack would not let a person do, and says why',
    async () => {
      const p = await start();
      const notMine = await post(p, 'command', { as: ANALYST, channel: 'DDEMOOWNER', text: '/vendor help' });
      expect(notMine.status).toBe(400);
      expect(notMine.body.error).toMatch(/another person's conversation/);

      const unknown = await post(p, 'command', { as: ANALYST, channel: FINDINGS, text: '/vendr help' });
      expect(unknown.body).toMatchObject({ ok: false, error: expect.stringMatching(/\/vendr is not a valid command/) });

      const card = await eventually(p, backupCard);
      expect(await click(p, card, 'approval.approve')).toEqual({
        ok: false,
        error: 'That button is no longer on the message.',
      });

      // An empty required field keeps the modal open, as Slack's client does, and nothing reaches the bot.
      expect(await click(p, card, 'finding.escalate')).toEqual({ ok: true });
      const modal = await eventually(p, (s) => s.modal ?? undefined);
      const empty = await post(p, 'submit', { as: ANALYST, viewId: modal.id, values: {} });
      expect(empty.body).toMatchObject({ ok: false, fieldErrors: { reason: 'Please complete this required field.' } });
      expect((await state(p)).modal?.id).toBe(modal.id);
      expect((await post(p, 'close', { as: ANALYST, viewId: modal.id })).body).toEqual({ ok: true });
      expect((await state(p)).modal).toBeNull();
    },
    SLOW,
  );

  it(
    'sends what was entered when a modal is closed, as Slack does, so the questionnaire keeps a draft',
    async () => {
      const p = await start();
      const OWNER = 'UDEMOOWNER';
      const dm = (s: Snapshot) => s.conversations.find((c) => c.persona === OWNER);
      const sent = await post(p, 'command', {
        as: OWNER,
        channel: dm(await state(p, OWNER))?.id,
        text: '/vendor reassess Meridian Clinical Research',
      });
      expect(sent.body).toEqual({ ok: true });
      const offer = await eventually(p, (s) => dm(s)?.messages.find((m) => m.ephemeral && withText('Start')(m)), OWNER);
      const openForm = async () => {
        const actionId = actionIds(offer).find((id) => id.startsWith('assessment.start')) ?? '';
        const place = { channel: dm(await state(p, OWNER))?.id, ts: offer.ts, ephemeral: true };
        expect((await post(p, 'click', { as: OWNER, place, actionId, choice: null })).body).toEqual({ ok: true });
        return eventually(p, (s) => s.modal ?? undefined, OWNER);
      };
      const inputs = (view: unknown) =>
        ((view as { blocks: Record<string, unknown>[] }).blocks ?? []).filter((b) => b.type === 'input') as {
          block_id: string;
          element: { type: string; initial_option?: { value: string }; initial_value?: string };
        }[];

      const first = await openForm();
      const [answer, comment] = inputs(first.view);
      expect(answer?.element).toMatchObject({ type: 'radio_buttons' });
      expect(answer?.element.initial_option).toBeUndefined();
      const values = { [answer?.block_id ?? '']: 'partial', [comment?.block_id ?? '']: 'Restore test booked for May' };
      expect((await post(p, 'close', { as: OWNER, viewId: first.id, values })).body).toEqual({ ok: true });
      expect((await state(p, OWNER)).modal).toBeNull();

      // Opened again, the form starts from the draft the bot kept from view_closed's state (the bot keeps
      // it after acknowledging the close, so it is opened until it shows the draft, closed untouched between).
      let again = await openForm();
      for (let tries = 0; tries < 50 && !inputs(again.view)[0]?.element.initial_option; tries += 1) {
        await post(p, 'close', { as: OWNER, viewId: again.id });
        await new Promise((resolve) => setTimeout(resolve, 100));
        again = await openForm();
      }
      const [kept, note] = inputs(again.view);
      expect(kept?.element.initial_option?.value).toBe('partial');
      expect(note?.element.initial_value).toBe('Restore test booked for May');
      expect(JSON.stringify(again.view)).toContain('1 of');
    },
    SLOW,
  );

  it('sends a typed @name of someone in the workspace as a mention, as Slack does with escaping on', async () => {
    const p = await start();
    const ADMIN = 'UDEMOADMIN';
    const dm = (s: Snapshot) => s.conversations.find((c) => c.persona === ADMIN);
    const channel = dm(await state(p, ADMIN))?.id;
    expect((await post(p, 'command', { as: ADMIN, channel, text: '/vendor role @dana' })).body).toEqual({ ok: true });
    // The bot answers about the person the mention names; an unresolved "@dana" is refused as not a person.
    const answer = await eventually(p, (s) => dm(s)?.messages.find(withText('analyst')), ADMIN);
    expect(answer.text).toMatch(/^<@UDEMOANALYST>: analyst/);
  });

  it(
    'tells the page how many queued messages have gone out while the demo streams in, never going backwards',
    async () => {
      const p = await start();
      type Progress = { sent: number; total: number } | null;
      const progress = async () => ((await state(p)) as Snapshot & { delivering: Progress }).delivering;
      const seen: NonNullable<Progress>[] = [];
      for (let now = await progress(); now; now = await progress()) {
        seen.push(now);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(seen[0]?.total).toBeGreaterThan(50);
      expect(seen[0]?.sent).toBeLessThan(seen[0]?.total ?? 0);
      for (const [i, now] of seen.entries()) {
        const before = seen[i - 1] ?? now;
        expect(now.sent).toBeLessThanOrEqual(now.total);
        expect(now.sent).toBeGreaterThanOrEqual(before.sent);
        expect(now.total).toBeGreaterThanOrEqual(before.total);
      }
      // Once nothing waits, every card is in the channel: at least one per finding still open.
      const store = await openStore(join(dir, 'playground.db'));
      const open = await store.db
        .selectFrom('findings')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('state', 'in', ACTIVE_STATES)
        .executeTakeFirstOrThrow();
      await store.close();
      expect(Number(open.n)).toBeGreaterThan(20);
      expect(findings(await state(p)).length).toBeGreaterThanOrEqual(Number(open.n));
    },
    SLOW,
  );

  it(
    "shows each persona's demo signing PIN, and the approver signs an approval with it in the Approve modal",
    async () => {
      const p = await start();
      const APPROVER = 'UDEMOAPPROVER';
      const morgan = (await state(p, APPROVER)).personas.find((x) => x.id === APPROVER);
      expect(morgan?.signingPin).toMatch(/^\d{6}$/);
      const approvals = (s: Snapshot) => s.conversations.find((c) => c.id === 'CDEMOAPPROVALS')?.messages ?? [];
      const request = await eventually(
        p,
        (s) => approvals(s).find((m) => withText('Privileged accounts without MFA')(m) && actionIds(m).length > 0),
        APPROVER,
      );
      const actionId = actionIds(request).find((id) => id.startsWith('approval.approve')) ?? 'approval.approve';
      const place = { channel: 'CDEMOAPPROVALS', ts: request.ts, ephemeral: false };
      expect((await post(p, 'click', { as: APPROVER, place, actionId, choice: null })).body).toEqual({ ok: true });
      const modal = await eventually(p, (s) => s.modal ?? undefined, APPROVER);
      expect(JSON.stringify(modal)).toContain('Your signing PIN');
      const wrong = await post(p, 'submit', { as: APPROVER, viewId: modal.id, values: { pin: '000000' } });
      expect(wrong.body.ok).toBe(true);
      await eventually(p, (s) => approvals(s).find(withText('Wrong signing PIN. 4 attempts left')), APPROVER);
      expect((await post(p, 'click', { as: APPROVER, place, actionId, choice: null })).body).toEqual({ ok: true });
      const again = await eventually(p, (s) => s.modal ?? undefined, APPROVER);
      await post(p, 'submit', { as: APPROVER, viewId: again.id, values: { pin: morgan?.signingPin ?? '' } });
      await eventually(p, (s) => approvals(s).find(withText('Approved. Signed by Morgan Lee')), APPROVER);
    },
    SLOW,
  );

  it('serves a page that loads nothing from anywhere else and takes no cross-site form posts', async () => {
    const p = await start();
    const page = await fetch(p.url);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.filter((a) => /^(https?:)?\/\//.test(a))).toEqual([]);
    for (const asset of assets.filter((a) => a.startsWith('/'))) {
      expect((await fetch(new URL(asset, p.url))).status, asset).toBe(200);
    }
    expect(readFileSync(join(PUBLIC_DIR, 'app.css'), 'utf8')).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
    // Another site's plain form post cannot act: the API takes JSON only (which needs a CORS preflight).
    const forged = await fetch(`${p.url}playground/api/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=yes',
    });
    expect(forged.status).toBe(415);
  });

  it('answers only on its own address and refuses a POST from another origin (DNS rebinding, cross-site)', async () => {
    const p = await start();
    const { port } = new URL(p.url);
    const ask = (path: string, method: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(method === 'POST' ? '{}' : undefined);
      });
    const json = { 'content-type': 'application/json' };
    expect(await ask('/playground/api/state', 'GET', { host: `rebound.evil.example:${port}` })).toBe(421);
    expect(await ask('/playground/api/clock', 'POST', { ...json, host: `rebound.evil.example:${port}` })).toBe(421);
    expect(
      await ask('/playground/api/reset', 'POST', { ...json, host: `localhost:${port}`, origin: 'http://evil.example' }),
    ).toBe(403);
    expect(await ask('/playground/api/state', 'GET', { host: `localhost:${port}` })).toBe(200);
  });
});
