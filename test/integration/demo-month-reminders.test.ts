import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/reply.ts';
import { LATE_NOTE } from '../../src/chat/views/wording.ts';
import { questionnaireOf } from '../../src/core/assessments/questionnaire.ts';
import type { AnswerInput } from '../../src/core/assessments/scoring.ts';
import { submit } from '../../src/core/assessments/submit.ts';
import { addDaysIso, todayOf } from '../../src/core/common/dates.ts';
import { EVIDENCE_LABELS } from '../../src/core/common/vocabulary.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { listEvidenceDue } from '../../src/core/evidence/status.ts';
import { IN_CADENCE } from '../../src/core/lifecycle/states.ts';
import type { Policy } from '../../src/core/policy/policy.ts';
import { findVendorByName } from '../../src/core/vendors/lookup.ts';
import { inTransaction } from '../../src/store/database.ts';
import { type DemoRun, dmCounts, isDigest, isDm, type SeenMessage, startDemo } from '../support/demo-month.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The seeded demo lived forward a month, one sweep a day, with every message delivered through the
// real relay and views. A vendor owner hears about a vendor at most once a day (later reminders that
// day edit the day's message) and gets one "Coming up" digest of the day's heads-ups, an older reminder
// loses its buttons when a newer one replaces it, a finished reassessment or a renewed document turns
// the reminder into "done", and "late" is said only for slots whose day passed while the bot was down.

const SAM = { id: 'slack:UDEMOOWNER', name: 'Sam Patel' };
const PRIYA = 'slack:UDEMOOWNER2';
const DANA = { id: 'slack:UDEMOANALYST', name: 'Dana Reyes' };
const REMINDERS = [
  'vendor-reminder',
  'reassessment-prompt',
  'review-reminder',
  'evidence-reminder',
  'sla-reminder',
  'owner-digest',
];
/** Everything reminded of asks for action now: one message per vendor, no digest (as before the digest). */
const withoutDigest = (policy: Policy): Policy => ({
  ...policy,
  reminderActNowDays: { review: 10_000, evidence: 10_000, finding: 10_000 },
});

const buttonsOf = (reply: Reply) => (reply.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const startsReassessment = (m: SeenMessage) =>
  buttonsOf(m.reply).some((b) => b.action === 'assessment.start') && isDm(m.target);
const reminderPosts = (run: DemoRun) =>
  run.sender.posts.filter((m) => isDm(m.target) && REMINDERS.includes(m.template));
/** What a message says about one vendor: a digest's line for it, or the whole of a vendor's message. */
const sayAbout = (m: SeenMessage, vendor: { id: number; name: string }): string | null => {
  if (!isDigest(m)) return m.vendorId === vendor.id ? m.reply.text : null;
  return m.reply.text.split('\n').find((line) => line.startsWith(`${vendor.name}: `)) ?? null;
};
/** The messages a person has about a vendor (its own and digests that list it), as they read now. */
const about = (run: DemoRun, target: string, vendor: { id: number; name: string }) =>
  [...run.sender.current.values()].filter((m) => m.target === target && sayAbout(m, vendor) !== null);
/** The most new DMs each person got on one day. */
const busiestDay = (posts: readonly SeenMessage[]) => {
  const perDay = new Map<string, number>();
  for (const p of posts.filter((m) => isDm(m.target)))
    perDay.set(`${p.target}|${p.day}`, (perDay.get(`${p.target}|${p.day}`) ?? 0) + 1);
  const top: Record<string, number> = {};
  for (const [k, n] of perDay) {
    const who = k.split('|')[0] ?? k;
    top[who] = Math.max(top[who] ?? 0, n);
  }
  return top;
};
/** The same demo under another policy, walked `days` days: its reminder DMs. */
async function demoPosts(policy: (p: Policy) => Policy, days: number, jump = false): Promise<SeenMessage[]> {
  const other = await createTestStore('2026-06-01T09:00:00.000Z');
  const otherRun = await startDemo(other, policy(other.deps.policy));
  try {
    if (jump) {
      other.clock.set(`${addDaysIso(todayOf(otherRun.deps), 30)}T09:00:00.000Z`);
      await otherRun.tick();
    } else await otherRun.walk(days);
    return reminderPosts(otherRun);
  } finally {
    await otherRun.stop();
    await other.cleanup();
  }
}

describe('the seeded demo, a month on', () => {
  let store: TestStore;
  let run: DemoRun;
  beforeEach(async () => {
    store = await createTestStore('2026-06-01T09:00:00.000Z');
    run = await startDemo(store);
  });
  afterEach(async () => {
    await run.stop();
    await store.cleanup();
  });

  it('sends each owner at most one reminder per vendor per day and one digest of the rest, with one live Start button per vendor', async () => {
    await run.walk(30);
    const posts = reminderPosts(run);
    const { perPerson, perVendorDay, digestsPerDay } = dmCounts(posts);
    const before = await demoPosts(withoutDigest, 30);
    console.log('reminder DMs per person over the month (daily sweeps), one message per vendor only:', {
      total: dmCounts(before).perPerson,
      busiestDay: busiestDay(before),
    });
    console.log('reminder DMs per person over the month (daily sweeps), with the daily digest:', {
      total: perPerson,
      digests: Object.fromEntries(
        Object.keys(perPerson).map((who) => [who, posts.filter((m) => m.target === who && isDigest(m)).length]),
      ),
      busiestDay: busiestDay(posts),
    });
    expect(Object.entries(perVendorDay).filter(([, n]) => n > 1)).toEqual([]);
    expect(Object.entries(digestsPerDay).filter(([, n]) => n > 1)).toEqual([]);
    expect(Object.keys(digestsPerDay).some((k) => k.startsWith(SAM.id))).toBe(true);
    expect(perPerson[SAM.id]).toBeGreaterThan(0);
    expect(perPerson[PRIYA]).toBeGreaterThan(0);
    // Heads-ups no longer come one message per vendor: on their busiest day owners get fewer messages.
    for (const who of [SAM.id, PRIYA]) expect(busiestDay(posts)[who]).toBeLessThan(busiestDay(before)[who] ?? 0);
    // Older reminders were replaced, not left beside the new ones: theirs say so and have no buttons.
    const replaced = [...run.sender.current.values()].filter((m) => m.reply.text.startsWith('Replaced by a newer'));
    expect(replaced.length).toBeGreaterThan(0);
    expect(replaced.flatMap((m) => buttonsOf(m.reply))).toEqual([]);
    // However many reminders a vendor had, only one message per person still starts its reassessment.
    const live = new Map<string, number>();
    for (const m of run.sender.current.values()) {
      if (!startsReassessment(m)) continue;
      const k = `${m.target} vendor ${m.vendorId}`;
      live.set(k, (live.get(k) ?? 0) + 1);
    }
    expect(live.size).toBeGreaterThan(0);
    expect([...live].filter(([, n]) => n > 1)).toEqual([]);
  }, 120_000);

  it('"+1 month" (the clock 30 days on, one sweep) sends each owner one DM per vendor at most and one digest listing the heads-ups', async () => {
    const from = reminderPosts(run).length;
    store.clock.set(`${addDaysIso(todayOf(run.deps), 30)}T09:00:00.000Z`);
    await run.tick();
    const today = todayOf(run.deps);
    const posts = reminderPosts(run).slice(from);
    const { perPerson, perVendorDay, digestsPerDay } = dmCounts(posts);
    const before = dmCounts(await demoPosts(withoutDigest, 0, true)).perPerson;
    console.log('"+1 month" reminder DMs per person, one message per vendor only:', before);
    console.log('"+1 month" reminder DMs per person, with the daily digest:', perPerson);
    expect(Object.entries(perVendorDay).filter(([, n]) => n > 1)).toEqual([]);
    expect(Object.entries(digestsPerDay).filter(([, n]) => n > 1)).toEqual([]);
    // Each message as it reads now: a reminder joining a vendor's message of the day edited it.
    const asNow = (m: SeenMessage) => run.sender.current.get(m.id) ?? m;
    const digest = posts.map(asNow).find((m) => m.target === SAM.id && isDigest(m));
    expect(digest?.reply.text).toMatch(/^Coming up: \d+ items? for \d+ vendors?\./);
    // Every heads-up Sam has (a document of his expiring within the reminder window, a review coming
    // due) is in his digest with its date, or in that vendor's own message of today: none is lost.
    const sams = await store.db
      .selectFrom('vendors')
      .select(['id', 'name', 'next_review_on'])
      .where('owner_id', '=', SAM.id)
      .where('status', 'in', IN_CADENCE)
      .execute();
    const mine = new Map(sams.map((v) => [v.id, v]));
    const todays = posts.filter((m) => m.target === SAM.id).map(asNow);
    const said = (vendor: { id: number; name: string }) => todays.map((m) => sayAbout(m, vendor) ?? '').join('\n');
    const expected: { vendor: { id: number; name: string }; line: RegExp }[] = [];
    for (const doc of await listEvidenceDue(store.db, addDaysIso(today, 30), addDaysIso(today, 1))) {
      const vendor = mine.get(doc.vendor_id);
      if (vendor)
        expected.push({
          vendor,
          line: new RegExp(`${EVIDENCE_LABELS[doc.type]}.* expires in \\d+ days? \\(${doc.expires_on}\\)`),
        });
    }
    for (const v of sams) {
      if (v.next_review_on && v.next_review_on > today && v.next_review_on <= addDaysIso(today, 30))
        expected.push({ vendor: v, line: new RegExp(`[Rr]eassessment.* due in \\d+ days? \\(${v.next_review_on}\\)`) });
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.filter((e) => !e.line.test(said(e.vendor))).map((e) => `${e.vendor.name} ${e.line}`)).toEqual([]);
    // Heads-ups of vendors without a message of their own today are in the digest, each vendor with a posture button.
    const inDigest = expected.filter((e) => !todays.some((m) => m.vendorId === e.vendor.id));
    expect(inDigest.length).toBeGreaterThan(0);
    for (const e of inDigest) {
      expect(sayAbout(digest as SeenMessage, e.vendor)).toMatch(e.line);
      expect(buttonsOf((digest as SeenMessage).reply).map((b) => b.value)).toContain(`posture "${e.vendor.name}"`);
    }
  }, 120_000);

  it('turns the live reminder into "done" once the reassessment is submitted, with no button left', async () => {
    await run.walk(8);
    const meridian = await findVendorByName(store.db, 'Meridian Clinical Research');
    expect(about(run, SAM.id, meridian).filter(startsReassessment)).toHaveLength(1);
    const open = await store.db
      .selectFrom('assessments')
      .select('id')
      .where('vendor_id', '=', meridian.id)
      .where('status', '!=', 'submitted')
      .executeTakeFirstOrThrow();
    const answers: Record<string, AnswerInput> = Object.fromEntries(
      questionnaireOf(run.deps).controls.map((c) => [c.id, { answer: 'yes' }]),
    );
    await inTransaction(store.db, (tx) => submit(tx, run.deps, SAM, open.id, answers));
    await run.relay.drainOnce();
    const now = about(run, SAM.id, meridian);
    expect(now.filter(startsReassessment)).toEqual([]);
    expect(now.some((m) => /submitted/i.test(m.reply.text))).toBe(true);
    // The days after bring no new reminder about the finished review (its other reminders go on).
    const before = reminderPosts(run).length;
    await run.walk(7);
    const later = reminderPosts(run)
      .slice(before)
      .filter((m) => sayAbout(m, meridian) !== null);
    expect(later.length).toBeGreaterThan(0);
    expect(
      later.filter(
        (m) => (m.vendorId === meridian.id && startsReassessment(m)) || /reassess/i.test(sayAbout(m, meridian) ?? ''),
      ),
    ).toEqual([]);
  }, 120_000);

  it('says the document was renewed on the message that asked for it', async () => {
    await run.walk(6);
    const patientPath = await findVendorByName(store.db, 'PatientPath Recruitment');
    const asked = about(run, SAM.id, patientPath).find((m) => sayAbout(m, patientPath)?.includes('GDPR DPA'));
    // Thirty days ahead is a heads-up: it came in Sam's digest of the day.
    expect(asked && isDigest(asked)).toBe(true);
    expect(sayAbout(asked as SeenMessage, patientPath)).toContain('GDPR DPA expires in 30 days');
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, run.deps, DANA, { vendorId: patientPath.id, type: 'gdpr_dpa', expiresOn: '2028-07-06' }),
    );
    await run.relay.drainOnce();
    const after = run.sender.current.get(asked?.id ?? '') as SeenMessage;
    expect(sayAbout(after, patientPath)).toContain('✓ GDPR DPA renewed.');
    expect(sayAbout(after, patientPath)).not.toContain('expires in');
  }, 120_000);

  it('is late only for slots that passed while the bot was down, never on the first sweep of the seed', async () => {
    const lateOf = (messages: SeenMessage[]) => messages.filter((m) => m.reply.text.includes(LATE_NOTE));
    // The seed's first sweep reminds about reviews and documents whose slots passed before the seed.
    expect(reminderPosts(run).length).toBeGreaterThan(0);
    expect(lateOf(run.sender.posts)).toEqual([]);
    await run.walk(2);
    expect(lateOf(run.sender.posts)).toEqual([]);
    // Down for a week: the slots of those days arrive late, and say so.
    const before = run.sender.posts.length;
    store.clock.set('2026-06-10T09:30:00.000Z');
    await run.tick();
    const late = lateOf(run.sender.posts.slice(before));
    expect(late.length).toBeGreaterThan(0);
    // The next day, on time again.
    const next = run.sender.posts.length;
    await run.walk(1);
    expect(lateOf(run.sender.posts.slice(next))).toEqual([]);
  }, 120_000);
});
