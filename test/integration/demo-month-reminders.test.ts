import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/reply.ts';
import { LATE_NOTE } from '../../src/chat/views/wording.ts';
import { questionnaireOf } from '../../src/core/assessments/questionnaire.ts';
import type { AnswerInput } from '../../src/core/assessments/scoring.ts';
import { submit } from '../../src/core/assessments/submit.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { findVendorByName } from '../../src/core/vendors/lookup.ts';
import { inTransaction } from '../../src/store/database.ts';
import { type DemoRun, dmCounts, isDm, type SeenMessage, startDemo } from '../support/demo-month.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The seeded demo lived forward a month, one sweep a day, with every message delivered through the
// real relay and views. A vendor owner hears about a vendor at most once a day (later reminders that
// day edit the day's message), an older reminder loses its buttons when a newer one replaces it, a
// finished reassessment or a renewed document turns the live reminder into "done", and "late" is said
// only for slots whose day passed while the bot was down.

const SAM = { id: 'slack:UDEMOOWNER', name: 'Sam Patel' };
const PRIYA = 'slack:UDEMOOWNER2';
const DANA = { id: 'slack:UDEMOANALYST', name: 'Dana Reyes' };
const REMINDERS = ['vendor-reminder', 'reassessment-prompt', 'review-reminder', 'evidence-reminder', 'sla-reminder'];

const buttonsOf = (reply: Reply) => (reply.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const startsReassessment = (m: SeenMessage) =>
  buttonsOf(m.reply).some((b) => b.action === 'assessment.start') && isDm(m.target);
const reminderPosts = (run: DemoRun) =>
  run.sender.posts.filter((m) => isDm(m.target) && REMINDERS.includes(m.template));
/** The messages a person has about a vendor, as they read now. */
const about = (run: DemoRun, target: string, vendorId: number) =>
  [...run.sender.current.values()].filter((m) => m.target === target && m.vendorId === vendorId);

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

  it('sends each owner at most one reminder per vendor per day, with one live Start button per vendor', async () => {
    await run.walk(30);
    const { perPerson, perVendorDay } = dmCounts(reminderPosts(run));
    console.log('reminder DMs per person over the month (daily sweeps):', perPerson);
    const twice = Object.entries(perVendorDay).filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(perPerson[SAM.id]).toBeGreaterThan(0);
    expect(perPerson[PRIYA]).toBeGreaterThan(0);
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

  it('turns the live reminder into "done" once the reassessment is submitted, with no button left', async () => {
    await run.walk(8);
    const meridian = await findVendorByName(store.db, 'Meridian Clinical Research');
    expect(about(run, SAM.id, meridian.id).filter(startsReassessment)).toHaveLength(1);
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
    const now = about(run, SAM.id, meridian.id);
    expect(now.filter(startsReassessment)).toEqual([]);
    expect(now.some((m) => /submitted/i.test(m.reply.text))).toBe(true);
    // The days after bring no new reminder about the finished review (its other reminders go on).
    const before = reminderPosts(run).length;
    await run.walk(7);
    const later = reminderPosts(run)
      .slice(before)
      .filter((m) => m.vendorId === meridian.id);
    expect(later.length).toBeGreaterThan(0);
    expect(later.filter((m) => startsReassessment(m) || /reassess/i.test(m.reply.text))).toEqual([]);
  }, 120_000);

  it('says the document was renewed on the reminder that asked for it', async () => {
    await run.walk(6);
    const patientPath = await findVendorByName(store.db, 'PatientPath Recruitment');
    const asked = about(run, SAM.id, patientPath.id).find((m) => m.reply.text.includes('GDPR DPA'));
    expect(asked?.reply.text).toContain('expires in 30 days');
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, run.deps, DANA, { vendorId: patientPath.id, type: 'gdpr_dpa', expiresOn: '2028-07-06' }),
    );
    await run.relay.drainOnce();
    const after = run.sender.current.get(asked?.id ?? '');
    expect(after?.reply.text).toContain('✓ GDPR DPA renewed.');
    expect(after?.reply.text).not.toContain('expires in');
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
