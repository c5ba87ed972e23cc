import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/chat/reply.ts';
import {
  answersFrom,
  questionnaireForm,
  submittedReply,
  unansweredErrors,
} from '../../src/chat/views/questionnaire-form.ts';
import {
  deadLetter,
  evidenceReminder,
  reassessmentPrompt,
  reviewReminder,
  slaReminder,
  type VendorReminderInput,
  vendorReminder,
} from '../../src/chat/views/reminders.ts';
import { LATE_NOTE } from '../../src/chat/views/wording.ts';
import { loadQuestionnaire } from '../../src/core/assessments/questionnaire.ts';

// Reminders and the questionnaire form, as the person reads them: what is due, by when in words,
// the button that starts the work, and a plain note when a reminder comes late after downtime.

const vendor = { id: 3, name: 'Acme Health Cloud', tier: 'critical' };
const buttons = (blocks: Block[] | undefined) =>
  (blocks ?? []).flatMap((b) =>
    b.type === 'actions' ? b.buttons.map((x) => `${x.label} -> ${x.action}:${x.value}`) : [],
  );

describe('review reminder', () => {
  const remind = (today: string, late = false, open: { id: number; answered: number; total: number } | null = null) =>
    reviewReminder({ vendor, dueOn: '2026-06-08', today, late, open });

  it('words the due date from today: due in 7 days, due today, overdue by 14 days', () => {
    expect(remind('2026-06-01').text).toBe('Reassessment of Acme Health Cloud due in 7 days (2026-06-08).');
    expect(remind('2026-06-07').text).toContain('due in 1 day (2026-06-08)');
    expect(remind('2026-06-08').text).toBe('Reassessment of Acme Health Cloud due today (2026-06-08).');
    const overdue = remind('2026-06-22');
    expect(overdue.text).toBe('Reassessment of Acme Health Cloud overdue by 14 days (2026-06-08).');
    expect(overdue.blocks?.[0]).toEqual({ type: 'header', text: 'Reassessment overdue by 14 days: Acme Health Cloud' });
  });

  it('offers to start the reassessment, or to continue the open one', () => {
    expect(buttons(remind('2026-06-01').blocks)).toEqual(['Start reassessment -> assessment.start:vendor:3']);
    expect(buttons(remind('2026-06-01', false, { id: 9, answered: 4, total: 14 }).blocks)).toEqual([
      'Continue reassessment (4/14) -> assessment.start:9',
    ]);
  });

  it('says a late reminder was delayed while the bot was offline, in the card and the fallback', () => {
    const late = remind('2026-06-02', true);
    expect(LATE_NOTE).toBe('This reminder is late: it was delayed while the bot was offline.');
    expect(late.text).toContain(LATE_NOTE);
    expect(late.blocks?.at(-1)).toEqual({ type: 'context', text: LATE_NOTE });
    expect(remind('2026-06-02').text).not.toContain('offline');
  });
});

describe('other reminders', () => {
  it('evidence: what lapses, for which vendor, and when', () => {
    const e = (today: string, late = false) =>
      evidenceReminder({
        label: 'SOC 2 Type II',
        vendorName: 'Acme Health Cloud',
        expiresOn: '2026-07-01',
        today,
        late,
      });
    expect(e('2026-06-01').text).toBe('SOC 2 Type II of Acme Health Cloud expires in 30 days (2026-07-01).');
    expect(e('2026-07-01').text).toContain('expires today');
    expect(e('2026-07-04', true).text).toBe(
      `SOC 2 Type II of Acme Health Cloud expired 3 days ago (2026-07-01).\n${LATE_NOTE}`,
    );
  });

  it('SLA: the finding, its due date in words, and the card with its buttons', () => {
    const card: Block[] = [
      { type: 'actions', buttons: [{ action: 'finding.escalate', label: 'Escalate', value: '12' }] },
    ];
    const reply = slaReminder({
      findingId: 12,
      title: 'Open datastore',
      vendorName: 'Acme Health Cloud',
      dueOn: '2026-06-04',
      today: '2026-06-01',
      late: false,
      card,
    });
    expect(reply.text).toBe(
      'Finding #12 on Acme Health Cloud is due in 3 days under its SLA (2026-06-04): Open datastore',
    );
    expect(buttons(reply.blocks)).toEqual(['Escalate -> finding.escalate:12']);
  });

  it('reassessment prompt: who asked, by when, a Start button; once submitted, a thank-you without buttons', () => {
    const prompt = {
      assessmentId: 9,
      vendor,
      dueOn: '2026-06-20',
      today: '2026-06-01',
      requestedBy: 'Dana Analyst',
      answered: 0,
      total: 14,
      submitted: null,
    };
    const open = reassessmentPrompt(prompt);
    expect(open.text).toBe('Reassessment requested: Acme Health Cloud, due 2026-06-20.');
    expect(JSON.stringify(open.blocks)).toContain(
      'Dana Analyst asked you to reassess **Acme Health Cloud** (critical tier) by 2026-06-20 (due in 19 days)',
    );
    expect(buttons(open.blocks)).toEqual(['Start reassessment -> assessment.start:9']);
    const done = reassessmentPrompt({
      ...prompt,
      submitted: { by: 'Olive Owner', at: '2026-06-03T14:20:00.000Z', score: 86 },
    });
    expect(done.text).toContain('Submitted by Olive Owner at 2026-06-03 14:20 UTC with a questionnaire score of 86.');
    expect(buttons(done.blocks)).toEqual([]);
  });

  it('dead letter: what failed, where and why', () => {
    const reply = deadLetter({
      outboxId: 41,
      target: 'slack:CGONE',
      error: 'channel_not_found',
      template: 'finding-card',
      subject: 'finding:12',
      attempts: 8,
    });
    expect(reply.text).toBe(
      'The bot gave up delivering a finding card message about `finding:12` to `slack:CGONE` after 8 attempts. Why: channel_not_found',
    );
    expect(reply.blocks?.[1]).toEqual({
      type: 'fields',
      fields: [
        { label: 'What', value: 'a finding card message about `finding:12` (outbox #41)' },
        { label: 'Where', value: '`slack:CGONE`' },
        { label: 'Why', value: 'channel_not_found' },
      ],
    });
  });
});

describe('questionnaire form', () => {
  const { controls } = loadQuestionnaire();
  const first = controls[0]!;
  const second = controls[1]!;
  const detail = {
    assessment: {
      id: 9,
      vendor_id: 3,
      status: 'in_progress' as const,
      questionnaire_version: '1',
      requested_by: 'system',
      requested_at: '2026-05-30T09:00:00.000Z',
      due_on: '2026-06-20',
      started_at: '2026-05-31T09:00:00.000Z',
      submitted_by: null,
      submitted_at: null,
      score: null,
      version: 2,
    },
    vendor: { ...vendor, owner_id: 'slack:UOLIVE' },
    controls,
    answers: { [first.id]: { answer: 'partial' as const, comment: 'Rolling out' } },
    unanswered: controls.slice(1),
  };

  it('asks every control as yes / partly / no / not applicable with a comment, filled in from the draft', () => {
    const form = questionnaireForm(detail, '2026-06-01');
    expect(form).toMatchObject({ id: 'assessment.answer', state: '9', submitLabel: 'Submit' });
    expect(form.fields).toHaveLength(controls.length * 2);
    expect(form.fields[0]).toMatchObject({
      id: `answer.${first.id}`,
      kind: 'radio',
      initial: 'partial',
      options: [
        { value: 'yes', label: 'Yes' },
        { value: 'partial', label: 'Partly' },
        { value: 'no', label: 'No' },
        { value: 'n/a', label: 'Not applicable' },
      ],
    });
    expect(form.fields[1]).toMatchObject({ id: `comment.${first.id}`, optional: true, initial: 'Rolling out' });
    expect(form.fields[2]).not.toHaveProperty('initial');
    expect(form.intro).toContain('1 of 14 controls are answered from your draft.');
  });

  it('reads answers back and names each control still unanswered', () => {
    const given = answersFrom(
      {
        [`answer.${second.id}`]: 'no',
        [`comment.${second.id}`]: '  Not yet  ',
        [`comment.${controls[2]!.id}`]: 'orphan',
      },
      controls,
    );
    expect(given).toEqual({ [second.id]: { answer: 'no', comment: 'Not yet' } });
    const errors = unansweredErrors(controls, detail.answers, given);
    expect(Object.keys(errors)).toEqual(controls.slice(2).map((c) => `answer.${c.id}`));
  });

  it('confirms a submission with the new posture, the next review and each failed control as a finding', () => {
    const reply = submittedReply({
      vendorName: 'Acme Health Cloud',
      questionnaireScore: 81,
      posture: { score: 62, grade: 'D' },
      nextReviewOn: '2026-12-01',
      failed: [{ title: 'Encryption at rest', severity: 'high', findingId: 5 }],
    });
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.text).toBe(
      'Reassessment of Acme Health Cloud submitted. Posture is now 62/100, grade D.\n' +
        'Questionnaire score: 81/100. Next review: 2026-12-01.\n' +
        'Controls that failed, each now a finding posted to the vendor’s channel:\n• Encryption at rest: finding #5 (High)',
    );
  });
});

describe('vendor reminder: everything asked about one vendor, in one live message', () => {
  const base: VendorReminderInput = {
    vendor,
    today: '2026-06-01',
    late: false,
    prompt: null,
    reviewDueOn: '2026-06-08',
    evidence: [{ label: 'Penetration test', expiresOn: '2026-06-26' }],
    findings: [{ id: 8, title: 'Required evidence missing: BAA', dueOn: '2026-06-04' }],
    done: [],
    open: null,
    supersededOn: null,
  };

  it('lists the review, the lapsing document and the finding near its SLA, with one Start button', () => {
    const reply = vendorReminder(base);
    expect(reply.blocks?.[0]).toEqual({ type: 'header', text: 'Reminder: Acme Health Cloud' });
    expect(reply.text).toContain('due in 7 days (2026-06-08)');
    expect(reply.text.split('\n')[0]).toBe('Reassessment of Acme Health Cloud due in 7 days (2026-06-08).');
    expect(reply.text).toContain('Penetration test of Acme Health Cloud expires in 25 days (2026-06-26)');
    expect(reply.text).toContain('Finding #8 is due in 3 days under its SLA (2026-06-04)');
    expect(buttons(reply.blocks)).toEqual(['Start reassessment -> assessment.start:vendor:3']);
    expect(reply.text).not.toContain(LATE_NOTE);
    expect(vendorReminder({ ...base, late: true }).text).toContain(LATE_NOTE);
  });

  it('once replaced by a newer reminder keeps its lines for the record but loses its buttons', () => {
    const reply = vendorReminder({ ...base, late: true, supersededOn: '2026-06-02' });
    expect(reply.blocks?.[0]).toEqual({ type: 'header', text: 'Replaced by a newer reminder: Acme Health Cloud' });
    expect(buttons(reply.blocks)).toEqual([]);
    expect(reply.text).not.toContain(LATE_NOTE);
    expect(JSON.stringify(reply.blocks)).toContain('sent on 2026-06-02');
  });

  it('says done when nothing is left, with no button', () => {
    const reply = vendorReminder({
      ...base,
      reviewDueOn: null,
      evidence: [],
      findings: [],
      done: ['Reassessment submitted by Sam Patel at 2026-06-03 10:00 UTC with a questionnaire score of 91.'],
    });
    expect(reply.blocks?.[0]).toEqual({ type: 'header', text: 'Done: Acme Health Cloud' });
    expect(reply.text).toContain('✓ Reassessment submitted by Sam Patel');
    expect(buttons(reply.blocks)).toEqual([]);
  });

  it('prints an untrusted vendor name and finding title inert', () => {
    const reply = vendorReminder({
      ...base,
      vendor: { ...vendor, name: '*Evil* <!channel>' },
      findings: [{ id: 9, title: '_x_ <https://phish.example|click>', dueOn: '2026-06-04' }],
    });
    // Escaped the way every view escapes untrusted text, so no renderer reads a mention or a link.
    expect(reply.text).toContain('reassessment of \\*Evil\\* \\<!channel> (critical tier)');
    expect(reply.text).toContain('\\_x\\_ \\<https://phish.example|click>');
    expect(reply.text).not.toMatch(/(^|[^\\])<!channel>/);
  });
});
