import type { ApprovalSummary } from '../../core/approvals/queries.ts';
import type { ReviewDue } from '../../core/assessments/queries.ts';
import { daysBetween } from '../../core/common/dates.ts';
import { EVIDENCE_LABELS, type StoredEvidenceType } from '../../core/common/vocabulary.ts';
import type { DueEvidence } from '../../core/evidence/status.ts';
import type { FindingSummary, TriageQueue } from '../../core/findings/queries.ts';
import { availableActions, STATE_LABELS } from '../../core/findings/states.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block, Reply } from '../reply.ts';
import { pendingApprovalBlocks } from './approval-card.ts';
import { findingActions } from './finding-card.ts';
import { startButtonBlock } from './reminders.ts';
import { capitalize, dueWording } from './wording.ts';

// "My work": one person's queue, by what they do here (Slack's App Home tab, and `my work` on both
// platforms). An approver sees the decisions waiting for them; an analyst the triage queue (SLA
// breaches, unassigned critical and high findings, fixes to verify); a vendor owner their reviews
// overdue and due soon (by date, overdue first), findings to fix and evidence to renew. Only lists
// with something in them are shown, most urgent first, each entry with the button for the next step;
// a person with nothing to do reads a kind word saying so, never a blank tab.

/** Entries shown per list on the Home tab; the heading counts them all. */
export const PER_SECTION = 5;
/** Entries per list in a chat message, whose block budget is half a Home tab's. */
export const PER_SECTION_MESSAGE = 3;

export interface MyWorkRoles {
  analyst: boolean;
  approver: boolean;
  admin: boolean;
  /** Owns at least one vendor still in service. */
  owner: boolean;
}

export interface MyWork {
  name: string;
  today: string;
  /** Reviews falling due within this many days are listed (overdue ones always). */
  soonDays: number;
  roles: MyWorkRoles;
  /** Controls in the questionnaire, for "5 of 14 answered". */
  controls: number;
  /** Null when the person is not an approver. */
  approvals: ApprovalSummary[] | null;
  /** Vendor activations waiting for this approver, as list blocks (src/chat/views/lifecycle-cards.ts). */
  activations: { lines: string[]; blocks: Block[] } | null;
  /** Null when the person is neither analyst nor admin. */
  triage: TriageQueue | null;
  reviews: ReviewDue[];
  fixes: FindingSummary[];
  evidence: DueEvidence[];
}

interface Section {
  title: string;
  count: number;
  lines: string[];
  entries: Block[][];
}

function findingLine(f: FindingSummary, today: string): string {
  const who = f.assignee_name ? ` · ${inert(f.assignee_name)}` : f.assignee_id ? '' : ' · unassigned';
  return (
    `**#${f.id} ${inertTitle(f.title)}**\n${inert(f.vendor_name)} · ${capitalize(f.severity)} · ` +
    `${STATE_LABELS[f.state] ?? f.state}${who} · SLA ${f.sla_due_on} (${dueWording(today, f.sla_due_on)})`
  );
}

function findingEntry(f: FindingSummary, today: string): Block[] {
  const text = findingLine(f, today);
  const actions = findingActions(f.id, availableActions(f.state));
  return actions ? [{ type: 'text', text }, actions] : [{ type: 'text', text }];
}

function reviewLine(r: ReviewDue, today: string, controls: number): string {
  const progress = r.assessment ? ` · ${r.assessment.answered} of ${controls} controls answered` : '';
  return `**${inert(r.vendor_name)}** (${r.tier} tier) · review ${dueWording(today, r.due_on)} (${r.due_on})${progress}`;
}

function reviewEntry(r: ReviewDue, today: string, controls: number): Block[] {
  const open = r.assessment ? { ...r.assessment, total: controls } : null;
  return [{ type: 'text', text: reviewLine(r, today, controls) }, startButtonBlock(r.vendor_id, open)];
}

function evidenceLine(e: DueEvidence, today: string): string {
  const label = EVIDENCE_LABELS[e.type as StoredEvidenceType] ?? e.type;
  const days = daysBetween(today, e.expires_on);
  const when =
    days <= 0 ? `expired ${e.expires_on}` : `expires ${e.expires_on} (in ${days} ${days === 1 ? 'day' : 'days'})`;
  return `**${inert(e.vendor_name)}**: ${label} ${when}`;
}

function evidenceEntry(e: DueEvidence, today: string): Block[] {
  const hint = `Record the renewal: \`/vendor evidence "${inert(e.vendor_name)}" ${e.type} expires:YYYY-MM-DD\``;
  return [
    { type: 'text', text: evidenceLine(e, today) },
    { type: 'context', text: hint },
  ];
}

function plainLine(text: string): string {
  return text.replace(/\*\*/g, '').replace(/\n/g, ' · ');
}

function sections(w: MyWork): Section[] {
  const out: Section[] = [];
  const add = <T>(title: string, items: readonly T[], line: (item: T) => string, entry: (item: T) => Block[]) => {
    if (items.length > 0) out.push({ title, count: items.length, lines: items.map(line), entries: items.map(entry) });
  };
  const { today, controls } = w;
  if (w.approvals || w.activations) {
    const activations = w.activations ?? { lines: [], blocks: [] };
    const pairs: Block[][] = [];
    for (let i = 0; i < activations.blocks.length; i += 2) pairs.push(activations.blocks.slice(i, i + 2));
    const approvals = w.approvals ?? [];
    const count = approvals.length + activations.lines.length;
    if (count > 0) {
      out.push({
        title: 'Decisions waiting for you',
        count,
        lines: [
          ...approvals.map((r) => `Request #${r.id} on finding #${r.finding_id} (${inert(r.vendor_name)})`),
          ...activations.lines,
        ],
        entries: [...approvals.map(pendingApprovalBlocks), ...pairs],
      });
    }
  }
  if (w.triage) {
    const f = (x: FindingSummary) => findingEntry(x, today);
    const l = (x: FindingSummary) => plainLine(findingLine(x, today));
    add('SLA breached', w.triage.breached, l, f);
    add('Critical and high, unassigned', w.triage.unassigned, l, f);
    add('Fixes to verify', w.triage.toVerify, l, f);
  }
  add(
    'Reviews overdue and due soon',
    w.reviews,
    (r) => plainLine(reviewLine(r, today, controls)),
    (r) => reviewEntry(r, today, controls),
  );
  add(
    'Findings to fix',
    w.fixes,
    (x) => plainLine(findingLine(x, today)),
    (x) => findingEntry(x, today),
  );
  add(
    'Evidence to renew',
    w.evidence,
    (e) => plainLine(evidenceLine(e, today)),
    (e) => evidenceEntry(e, today),
  );
  return out;
}

/** What an empty queue says, for each part of the person's work. */
function allClear(w: MyWork): string[] {
  const lines: string[] = [];
  if (w.approvals) lines.push('No decisions are waiting for you. Thank you for keeping up.');
  if (w.triage) {
    lines.push(
      'Triage is clear: no SLA breaches, no unassigned critical or high findings, no fixes waiting to be verified.',
    );
  }
  if (w.roles.owner) {
    lines.push(
      `Your vendors are in order: no reviews due within ${w.soonDays} days, no findings to fix, no evidence to renew.`,
    );
  }
  if (lines.length === 0) lines.push('Nothing needs you right now: nothing is assigned to you and you own no vendors.');
  lines.push(
    'Look a vendor up with `/vendor posture <vendor>`, see what falls due with `/vendor due`, or ask for a new vendor with `/vendor request`.',
  );
  return lines;
}

function summary(list: Section[]): string {
  const total = list.reduce((n, s) => n + s.count, 0);
  return `${total} ${total === 1 ? 'thing needs' : 'things need'} you: ${list.map((s) => `${s.title.toLowerCase()} (${s.count})`).join(', ')}.`;
}

/** The queue as blocks: a heading, then each non-empty list, or the all-clear. */
export function myWorkBlocks(w: MyWork, perSection = PER_SECTION): Block[] {
  const list = sections(w);
  const blocks: Block[] = [
    { type: 'header', text: 'My work' },
    { type: 'context', text: `For ${inert(w.name)}, as of ${w.today}.` },
  ];
  if (list.length === 0) {
    return [
      ...blocks,
      { type: 'divider' },
      { type: 'text', text: '**All clear**' },
      ...allClear(w).map((text): Block => ({ type: 'text', text })),
    ];
  }
  blocks.push({ type: 'text', text: summary(list) });
  for (const s of list) {
    blocks.push({ type: 'divider' }, { type: 'text', text: `**${s.title} (${s.count})**` });
    for (const entry of s.entries.slice(0, perSection)) blocks.push(...entry);
    if (s.count > perSection) blocks.push({ type: 'context', text: `…and ${s.count - perSection} more.` });
  }
  return blocks;
}

/** The queue as a chat message (`my work`): the same lists, shorter, with a plain-text fallback. */
export function myWorkReply(w: MyWork, before: Block[] = []): Reply {
  const list = sections(w);
  const text =
    list.length === 0
      ? ['My work: all clear.', ...allClear(w)].join('\n')
      : [
          `My work: ${summary(list)}`,
          ...list.flatMap((s) => [
            `${s.title} (${s.count}):`,
            ...s.lines.slice(0, PER_SECTION_MESSAGE).map((l) => `• ${l}`),
          ]),
        ].join('\n');
  return { visibility: 'ephemeral', text, blocks: [...before, ...myWorkBlocks(w, PER_SECTION_MESSAGE)] };
}
