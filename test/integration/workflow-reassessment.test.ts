import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { home } from '../../commands/home.ts';
import { reassess } from '../../commands/reassess.ts';
import { buildRegistry } from '../../src/chat/command.ts';
import { dispatchAction, dispatchCommand, dispatchForm, dispatchFormClosed } from '../../src/chat/dispatch.ts';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import type { Block } from '../../src/chat/reply.ts';
import { getAssessment } from '../../src/core/assessments/queries.ts';
import { loadQuestionnaire } from '../../src/core/assessments/questionnaire.ts';
import { auditCount } from '../../src/core/audit/log.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { enqueue } from '../../src/core/messaging/outbox.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { inTransaction } from '../../src/store/database.ts';
import { formOf, replyOf, slackContext } from '../support/command-world.ts';
import { createTeamStore, dana, insertVendor, olive, outbox, vendorRow, vic } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// A reassessment from the command to the owner's DM button, through a closed form that keeps a
// draft, to a submission that opens findings and moves the review date. Real store, real views.

const registry = buildRegistry([reassess]);
const { controls } = loadQuestionnaire();
let store: TestStore;
let vendorId: number;

const ctx = (actor: Actor) => slackContext(store.deps, actor, 'slack:DOLIVE');
const startButtons = (blocks: Block[] | undefined) =>
  (blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.buttons.filter((x) => x.action === 'assessment.start') : []));
const answer = (id: string) => `answer.${id}`;

beforeEach(async () => {
  store = await createTeamStore();
  for (const person of [dana, olive]) await rememberPerson(store.db, store.clock, person);
  vendorId = await insertVendor(store, { tier: 'critical', nextReviewOn: '2026-06-20' });
});
afterEach(() => store.cleanup());

describe('reassessment in chat', () => {
  it('names the closest vendor when the name is mistyped, and refuses a viewer', async () => {
    expect(replyOf(await dispatchCommand(registry, ctx(dana), 'reassess "Acme Helth Cloud"')).text).toBe(
      'No vendor named “Acme Helth Cloud”. Did you mean “Acme Health Cloud”?',
    );
    expect(replyOf(await dispatchCommand(registry, ctx(vic), 'reassess Acme Health Cloud')).text).toBe(
      "You don't have permission to request a reassessment (the vendor owner, analysts and admins). Nothing was changed.",
    );
  });

  it('goes from the DM button to new findings and a moved review date, keeping a draft when the form is closed', async () => {
    const asked = replyOf(await dispatchCommand(registry, ctx(dana), 'reassess "acme health cloud"'));
    expect(asked.text).toBe(
      'Asked <@slack:UOLIVE|Olive Owner> to reassess **Acme Health Cloud** by 2026-06-20. They have a direct message with the questionnaire.',
    );
    const promptRow = (await outbox(store)).find((r) => r.template === 'reassessment-prompt');
    expect(promptRow?.target).toBe(olive.id);
    const prompt = await renderNotification(store.deps)(promptRow!);
    expect(prompt?.text).toBe('Reassessment requested: Acme Health Cloud, due 2026-06-20.');
    const [start] = startButtons(prompt?.blocks);
    expect(start).toMatchObject({ label: 'Start reassessment' });

    // A viewer who got hold of the button cannot open the questionnaire.
    expect(replyOf(await dispatchAction(registry, ctx(vic), 'assessment.start', start!.value)).text).toMatch(
      /^You don't have permission to answer this reassessment/,
    );

    const form = formOf(await dispatchAction(registry, ctx(olive), 'assessment.start', start!.value));
    expect(form.fields).toHaveLength(controls.length * 2);
    expect(form.fields.filter((f) => f.kind === 'radio')).toHaveLength(controls.length);

    // Closing keeps what was answered; reopening continues from there.
    const [mfa, encryption, backups] = controls;
    await dispatchFormClosed(
      registry,
      ctx(olive),
      form.id,
      {
        [answer(mfa!.id)]: 'yes',
        [answer(encryption!.id)]: 'no',
        [`comment.${encryption!.id}`]: 'Backups are plaintext',
      },
      form.state,
    );
    const draft = await getAssessment(store.db, Number(form.state));
    expect(draft.assessment.status).toBe('in_progress');
    expect(draft.answers[encryption!.id]).toEqual({ answer: 'no', comment: 'Backups are plaintext' });
    const reopened = formOf(await dispatchAction(registry, ctx(olive), 'assessment.start', start!.value));
    expect(reopened.fields.find((f) => f.id === answer(encryption!.id))?.initial).toBe('no');
    expect(reopened.fields.find((f) => f.id === `comment.${encryption!.id}`)?.initial).toBe('Backups are plaintext');
    expect(reopened.intro).toContain(`2 of ${controls.length} controls are answered from your draft.`);

    // Closing again without changing anything writes nothing.
    const audited = await auditCount(store.db);
    await dispatchFormClosed(registry, ctx(olive), form.id, { [answer(mfa!.id)]: 'yes' }, form.state);
    expect(await auditCount(store.db)).toBe(audited);

    // Submitting with gaps points at each unanswered control.
    const partial = await dispatchForm(registry, ctx(olive), form.id, { [answer(backups!.id)]: 'yes' }, form.state);
    expect(partial).toEqual({
      fieldErrors: Object.fromEntries(controls.slice(3).map((c) => [answer(c.id), 'Answer this control to submit.'])),
    });

    store.clock.set('2026-06-03T14:00:00.000Z');
    const rest = Object.fromEntries(controls.slice(2).map((c) => [answer(c.id), 'yes']));
    const done = replyOf(await dispatchForm(registry, ctx(olive), form.id, rest, form.state));
    expect(done.visibility).toBe('ephemeral');
    expect(done.text).toMatch(/^Reassessment of Acme Health Cloud submitted\. Posture is now \d+\/100, grade [A-F]\./);
    expect(done.text).toContain('Next review: 2026-12-03.');
    const cards = (await outbox(store)).filter((r) => r.template === 'finding-card');
    expect(cards).toHaveLength(1);
    const card = await renderNotification(store.deps)(cards[0]!);
    expect(card?.text).toContain(`Control not met: ${encryption!.title}`);
    expect(done.text).toContain(`• ${encryption!.title}: finding #${JSON.parse(cards[0]!.data).findingId}`);
    const vendor = await vendorRow(store, vendorId);
    expect(vendor).toMatchObject({ last_review_on: '2026-06-03', next_review_on: '2026-12-03' });

    // The DM's button now says it is done; the old prompt becomes a thank-you.
    expect(replyOf(await dispatchAction(registry, ctx(olive), 'assessment.start', start!.value)).text).toBe(
      'Already submitted by Olive Owner at 2026-06-03 14:00 UTC.',
    );
    const thanked = await renderNotification(store.deps)(promptRow!);
    expect(startButtons(thanked?.blocks)).toEqual([]);
  });

  it('starts from a review reminder, and skips the reminder once the review date has moved', async () => {
    await inTransaction(store.db, (tx) =>
      enqueue(tx, store.clock, {
        key: 'review:1:before-7',
        target: olive.id,
        template: 'review-reminder',
        data: { vendorId, dueOn: '2026-06-20', daysBefore: 7 },
        late: true,
      }),
    );
    const row = (await outbox(store)).find((r) => r.template === 'review-reminder')!;
    const reminder = await renderNotification(store.deps)(row);
    expect(reminder?.text).toBe(
      'Reassessment of Acme Health Cloud due in 19 days (2026-06-20).\nThis reminder is late: it was delayed while the bot was offline.',
    );
    const [start] = startButtons(reminder?.blocks);
    expect(start?.value).toBe(`vendor:${vendorId}`);
    const form = formOf(await dispatchAction(registry, ctx(olive), 'assessment.start', start!.value));
    const all = Object.fromEntries(controls.map((c) => [answer(c.id), 'yes']));
    expect(replyOf(await dispatchForm(registry, ctx(olive), form.id, all, form.state)).text).toContain(
      'Every control was met: no findings were opened.',
    );
    expect(await renderNotification(store.deps)(row)).toBeNull();
  });

  it('lists on the Home tab the review the owner owes, with the button to continue, until it is submitted', async () => {
    await dispatchCommand(registry, ctx(dana), 'reassess "Acme Health Cloud"');
    const blocks = await home(ctx(olive));
    const text = JSON.stringify(blocks);
    expect(text).toContain('**Reviews overdue and due soon (1)**');
    expect(text).toContain(
      '**Acme Health Cloud** (critical tier) · review due in 19 days (2026-06-20) · 0 of 14 controls answered',
    );
    const [start] = startButtons(blocks);
    expect(start?.label).toBe('Start reassessment');
    const form = formOf(await dispatchAction(registry, ctx(olive), 'assessment.start', start!.value));
    const all = Object.fromEntries(controls.map((c) => [answer(c.id), 'yes']));
    await dispatchForm(registry, ctx(olive), form.id, all, form.state);
    const after = JSON.stringify(await home(ctx(olive)));
    expect(after).not.toContain('Reviews overdue and due soon');
    expect(after).toContain('Your vendors are in order: no reviews due within 30 days');
    expect(JSON.stringify(await home(ctx(vic)))).toContain('Nothing needs you right now');
  });
});
