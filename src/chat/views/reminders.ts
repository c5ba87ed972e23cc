import { daysBetween } from '../../core/common/dates.ts';
import { ACTIONS } from '../actions.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block, Reply } from '../reply.ts';
import { inChannel } from '../reply.ts';
import { dueWording, formatUtc, LATE_NOTE } from './wording.ts';

// Direct messages that ask a person to do something by a date: a review coming due, a reassessment
// to answer, evidence about to lapse, a finding near its SLA. Each says what, by when (in words and
// as a date), and offers the button that starts the work. A reminder fired after downtime says so.

export interface OpenAssessmentRef {
  id: number;
  answered: number;
  total: number;
}

/** Start (or continue) a reassessment: by assessment id, or by vendor when none is open yet. */
export function startButtonBlock(vendorId: number, open: OpenAssessmentRef | null): Block {
  const label =
    open && open.answered > 0 ? `Continue reassessment (${open.answered}/${open.total})` : 'Start reassessment';
  return {
    type: 'actions',
    buttons: [
      {
        action: ACTIONS.assessmentStart,
        label,
        value: open ? String(open.id) : `vendor:${vendorId}`,
        style: 'primary',
      },
    ],
  };
}

function withLate(blocks: Block[], late: boolean): Block[] {
  return late ? [...blocks, { type: 'context', text: LATE_NOTE }] : blocks;
}

function fallback(lines: string[], late: boolean): string {
  return (late ? [...lines, LATE_NOTE] : lines).join('\n');
}

export interface ReviewReminderInput {
  vendor: { id: number; name: string; tier: string };
  dueOn: string;
  today: string;
  late: boolean;
  open: OpenAssessmentRef | null;
}

export function reviewReminder(r: ReviewReminderInput): Reply {
  const when = dueWording(r.today, r.dueOn);
  const overdue = daysBetween(r.today, r.dueOn) < 0;
  const line = `The periodic reassessment of **${r.vendor.name}** (${r.vendor.tier} tier) is ${when} (${r.dueOn}).`;
  const ask = overdue
    ? 'Please answer the questionnaire now: an overdue review lowers the vendor’s posture and is escalated after two weeks.'
    : 'You own this vendor, so the questionnaire is yours to answer. You can save a draft and continue later.';
  const blocks: Block[] = [
    { type: 'header', text: `Reassessment ${when}: ${r.vendor.name}` },
    { type: 'text', text: `${line}\n${ask}` },
    startButtonBlock(r.vendor.id, r.open),
  ];
  return inChannel(
    fallback([`Reassessment of ${r.vendor.name} ${when} (${r.dueOn}).`], r.late),
    withLate(blocks, r.late),
  );
}

export interface ReassessmentPromptInput {
  assessmentId: number;
  vendor: { id: number; name: string; tier: string };
  dueOn: string;
  today: string;
  requestedBy: string;
  answered: number;
  total: number;
  submitted: { by: string; at: string; score: number | null } | null;
}

export function reassessmentPrompt(p: ReassessmentPromptInput): Reply {
  const header = `Reassessment requested: ${p.vendor.name}`;
  if (p.submitted) {
    const score = p.submitted.score === null ? '' : ` with a questionnaire score of ${p.submitted.score}`;
    const done = `Submitted by ${p.submitted.by} at ${formatUtc(p.submitted.at)}${score}. Thank you.`;
    return inChannel(`${header}. ${done}`, [
      { type: 'header', text: header },
      { type: 'text', text: done },
    ]);
  }
  const intro =
    `${p.requestedBy} asked you to reassess **${p.vendor.name}** (${p.vendor.tier} tier) by ${p.dueOn}` +
    ` (${dueWording(p.today, p.dueOn)}).\nThere are ${p.total} controls, each answered yes, partly, no or not` +
    ' applicable, with an optional comment. Close the form at any time: your answers are kept as a draft.';
  const progress = p.answered > 0 ? `${p.answered} of ${p.total} controls answered so far.` : null;
  const blocks: Block[] = [
    { type: 'header', text: header },
    { type: 'text', text: intro },
    ...(progress ? [{ type: 'context' as const, text: progress }] : []),
    startButtonBlock(p.vendor.id, { id: p.assessmentId, answered: p.answered, total: p.total }),
  ];
  return inChannel(`${header}, due ${p.dueOn}. ${progress ?? ''}`.trim(), blocks);
}

export interface EvidenceReminderInput {
  label: string;
  vendorName: string;
  expiresOn: string;
  today: string;
  late: boolean;
}

/** "expires in 30 days", "expires today", "expired 3 days ago". */
export function expiryWording(today: string, expiresOn: string): string {
  const days = daysBetween(today, expiresOn);
  if (days === 0) return 'expires today';
  if (days > 0) return `expires in ${days} ${days === 1 ? 'day' : 'days'}`;
  return `expired ${-days} ${days === -1 ? 'day' : 'days'} ago`;
}

export function evidenceReminder(e: EvidenceReminderInput): Reply {
  const when = expiryWording(e.today, e.expiresOn);
  const line = `The **${e.label}** of **${e.vendorName}** ${when} (${e.expiresOn}).`;
  const ask =
    'Ask the vendor for the renewed document and record it with the `evidence` command. On the expiry day a finding is opened.';
  const blocks: Block[] = [
    { type: 'header', text: `${e.label} ${when}: ${e.vendorName}` },
    { type: 'text', text: `${line}\n${ask}` },
  ];
  return inChannel(
    fallback([`${e.label} of ${e.vendorName} ${when} (${e.expiresOn}).`], e.late),
    withLate(blocks, e.late),
  );
}

export interface SlaReminderInput {
  findingId: number;
  title: string;
  vendorName: string;
  dueOn: string;
  today: string;
  late: boolean;
  /** The finding card's own blocks, buttons included, so the work can start from the reminder. */
  card: Block[];
}

export function slaReminder(s: SlaReminderInput): Reply {
  const when = dueWording(s.today, s.dueOn);
  const line = `Finding #${s.findingId} on ${inert(s.vendorName)} is ${when} under its SLA (${s.dueOn}): ${inertTitle(s.title)}`;
  const blocks: Block[] = [{ type: 'text', text: `**SLA reminder.** ${line}` }, { type: 'divider' }, ...s.card];
  return inChannel(fallback([line], s.late), withLate(blocks, s.late));
}

export interface DeadLetterInput {
  outboxId: number;
  target: string;
  error: string;
  /** What the message was (its template) and what about, when the outbox still has the row. */
  template: string | null;
  subject: string | null;
  attempts: number | null;
}

export function deadLetter(d: DeadLetterInput): Reply {
  const what = d.template ? `a ${d.template.replace(/-/g, ' ')} message` : 'a message';
  const about = d.subject ? ` about \`${d.subject}\`` : '';
  const tries = d.attempts ? ` after ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}` : '';
  const line = `The bot gave up delivering ${what}${about} to \`${d.target}\`${tries}.`;
  const blocks: Block[] = [
    { type: 'header', text: 'A message could not be delivered' },
    {
      type: 'fields',
      fields: [
        { label: 'What', value: `${what}${about} (outbox #${d.outboxId})` },
        { label: 'Where', value: `\`${d.target}\`` },
        { label: 'Why', value: d.error },
      ],
    },
    {
      type: 'text',
      text: `${line}\nCheck that the bot is still in that conversation and the person or channel exists; the audit log records the failure.`,
    },
  ];
  return inChannel(`${line} Why: ${d.error}`, blocks);
}
