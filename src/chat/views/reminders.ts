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

export interface VendorReminderInput {
  vendor: { id: number; name: string; tier: string };
  today: string;
  late: boolean;
  /** A reassessment a person asked for, still open. */
  prompt: { requestedBy: string; dueOn: string } | null;
  /** The periodic review the reminder is about, still not done. */
  reviewDueOn: string | null;
  evidence: { label: string; expiresOn: string }[];
  findings: { id: number; title: string; dueOn: string }[];
  /** What this message asked for and is done now, one line each. */
  done: string[];
  /** The open assessment, for the button's label; null when none is open yet. */
  open: OpenAssessmentRef | null;
  /** A newer reminder replaced this message on this day: no buttons, and it says where to look. */
  supersededOn: string | null;
}

/** Whether a vendor reminder still asks anything of anyone. */
export const asksSomething = (r: Pick<VendorReminderInput, 'prompt' | 'reviewDueOn' | 'evidence' | 'findings'>) =>
  r.prompt !== null || r.reviewDueOn !== null || r.evidence.length > 0 || r.findings.length > 0;

/** The fallback's first line: the most pressing thing, the way notifications and previews show it. */
function leadLine(r: VendorReminderInput, open: boolean): string {
  const name = inert(r.vendor.name);
  if (r.supersededOn) return `Replaced by a newer reminder: ${name}.`;
  if (!open) return `Done: ${name}.`;
  if (r.prompt) return `Reassessment requested: ${name}, due ${r.prompt.dueOn}.`;
  if (r.reviewDueOn) return `Reassessment of ${name} ${dueWording(r.today, r.reviewDueOn)} (${r.reviewDueOn}).`;
  const doc = r.evidence[0];
  if (doc) return `${doc.label} of ${name} ${expiryWording(r.today, doc.expiresOn)} (${doc.expiresOn}).`;
  const f = r.findings[0];
  return f ? `Finding #${f.id} on ${name} is ${dueWording(r.today, f.dueOn)} under its SLA (${f.dueOn}).` : name;
}

/**
 * Everything asked of a vendor's owner, in one message: the reassessment (with its Start or Continue
 * button), documents about to lapse, findings near their SLA, and what was done since it was sent.
 */
export function vendorReminder(r: VendorReminderInput): Reply {
  const name = inert(r.vendor.name);
  const open = asksSomething(r);
  const asks: string[] = [];
  if (r.prompt) {
    asks.push(
      `${inert(r.prompt.requestedBy)} asked you to reassess **${name}** (${r.vendor.tier} tier) by ${r.prompt.dueOn} (${dueWording(r.today, r.prompt.dueOn)}).`,
    );
  }
  if (r.reviewDueOn && !r.prompt) {
    const when = dueWording(r.today, r.reviewDueOn);
    const overdue = daysBetween(r.today, r.reviewDueOn) < 0;
    asks.push(
      `The periodic reassessment of **${name}** (${r.vendor.tier} tier) is ${when} (${r.reviewDueOn}). ` +
        (overdue
          ? 'An overdue review lowers the vendor’s posture and is escalated after two weeks.'
          : 'You can save a draft and continue later.'),
    );
  }
  for (const e of r.evidence) {
    asks.push(
      `The **${e.label}** of **${name}** ${expiryWording(r.today, e.expiresOn)} (${e.expiresOn}): ask the vendor for the renewed document and record it with the \`evidence\` command.`,
    );
  }
  for (const f of r.findings) {
    asks.push(`Finding #${f.id} is ${dueWording(r.today, f.dueOn)} under its SLA (${f.dueOn}): ${inertTitle(f.title)}`);
  }
  const header = r.supersededOn
    ? `Replaced by a newer reminder: ${name}`
    : open
      ? `Reminder: ${name}`
      : `Done: ${name}`;
  const blocks: Block[] = [{ type: 'header', text: header }];
  if (asks.length > 0) blocks.push({ type: 'text', text: asks.map((a) => `• ${a}`).join('\n') });
  if (r.done.length > 0) blocks.push({ type: 'text', text: r.done.map((d) => `✓ ${d}`).join('\n') });
  if (!r.supersededOn && (r.prompt || r.reviewDueOn)) blocks.push(startButtonBlock(r.vendor.id, r.open));
  if (r.supersededOn) {
    blocks.push({
      type: 'context',
      text: `A newer reminder about ${name} was sent on ${r.supersededOn} and carries what is still open; this one is kept for the record.`,
    });
  } else if (!open) blocks.push({ type: 'context', text: 'Nothing is left to do here. Thank you.' });
  const summary = [leadLine(r, open), ...asks.map((a) => a.replace(/\*\*/g, '')), ...r.done.map((d) => `✓ ${d}`)];
  const late = r.late && open && !r.supersededOn;
  return inChannel(fallback(summary, late), withLate(blocks, late));
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

export interface DeadlineSetInput {
  findingId: number;
  title: string;
  vendorName: string;
  /** The approver's printed name. */
  approver: string;
  dueOn: string;
  today: string;
  card: Block[];
}

/** An approver set a finding's remediation deadline: it is now the finding's SLA due date. */
export function deadlineSet(d: DeadlineSetInput): Reply {
  const line =
    `${inert(d.approver)} approved a remediation deadline for finding #${d.findingId} on ${inert(d.vendorName)}: ` +
    `${inertTitle(d.title)}. Fix it by ${d.dueOn} (${dueWording(d.today, d.dueOn)}); that is now its SLA due date.`;
  return inChannel(line, [
    { type: 'text', text: `**Remediation deadline set.** ${line}` },
    { type: 'divider' },
    ...d.card,
  ]);
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
