import type { ApprovalSummary } from '../../core/approvals/queries.ts';
import type { OwedAssessment } from '../../core/assessments/queries.ts';
import type { FindingSummary } from '../../core/findings/queries.ts';
import { availableActions, STATE_LABELS } from '../../core/findings/states.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block } from '../reply.ts';
import { pendingApprovalBlocks } from './approval-card.ts';
import { findingActions } from './finding-card.ts';
import { startButtonBlock } from './reminders.ts';
import { capitalize, dueWording } from './wording.ts';

// "My work": one person's overview (Slack's App Home tab). Four short lists, each entry with the
// button that does the next step, and a kind word where a list is empty. Lists are capped so the
// whole view stays inside a platform's block budget; the count says how many there are in all.

/** Entries shown per list; the header counts them all. */
export const PER_SECTION = 8;

export interface OwnedVendor {
  id: number;
  name: string;
  tier: string;
  next_review_on: string | null;
  /** A reassessment is already open (it is listed under "Reassessments you owe"). */
  reviewOpen: boolean;
}

export interface MyWork {
  name: string;
  today: string;
  findings: FindingSummary[];
  /** Null when the person is not an approver. */
  approvals: ApprovalSummary[] | null;
  assessments: (OwedAssessment & { total: number })[];
  vendors: OwnedVendor[];
}

function section<T>(title: string, items: readonly T[], empty: string, entry: (item: T) => Block[]): Block[] {
  const blocks: Block[] = [{ type: 'divider' }, { type: 'text', text: `**${title} (${items.length})**` }];
  if (items.length === 0) return [...blocks, { type: 'context', text: empty }];
  for (const item of items.slice(0, PER_SECTION)) blocks.push(...entry(item));
  if (items.length > PER_SECTION) blocks.push({ type: 'context', text: `…and ${items.length - PER_SECTION} more.` });
  return blocks;
}

function findingEntry(f: FindingSummary, today: string): Block[] {
  const state = f.state;
  const text =
    `**#${f.id} ${inertTitle(f.title)}**\n${inert(f.vendor_name)} · ${capitalize(f.severity)} · ${STATE_LABELS[state] ?? f.state}` +
    ` · SLA ${f.sla_due_on} (${dueWording(today, f.sla_due_on)})`;
  const actions = findingActions(f.id, availableActions(state));
  return actions ? [{ type: 'text', text }, actions] : [{ type: 'text', text }];
}

function assessmentEntry(a: OwedAssessment & { total: number }, today: string): Block[] {
  const text = `**${inert(a.vendor_name)}**: due ${a.due_on} (${dueWording(today, a.due_on)}) · ${a.answered} of ${a.total} controls answered`;
  return [{ type: 'text', text }, startButtonBlock(a.vendor_id, { id: a.id, answered: a.answered, total: a.total })];
}

function vendorEntry(v: OwnedVendor, today: string): Block[] {
  const review = v.next_review_on
    ? `next review ${v.next_review_on} (${dueWording(today, v.next_review_on)})`
    : 'no review scheduled';
  const text = `**${inert(v.name)}** (${v.tier} tier) · ${review}${v.reviewOpen ? ' · reassessment open' : ''}`;
  return v.reviewOpen ? [{ type: 'text', text }] : [{ type: 'text', text }, startButtonBlock(v.id, null)];
}

export function myWorkBlocks(w: MyWork): Block[] {
  const approvals = w.approvals;
  return [
    { type: 'header', text: 'My work' },
    { type: 'context', text: `For ${w.name}, as of ${w.today}. Everything here is also in the channels and your DMs.` },
    ...section('Findings assigned to you', w.findings, 'Nothing is assigned to you right now. Enjoy the quiet.', (f) =>
      findingEntry(f, w.today),
    ),
    ...section(
      'Approvals waiting for you',
      approvals ?? [],
      approvals === null
        ? 'You are not an approver, so no decisions wait for you.'
        : 'No requests are waiting for your decision. Thank you for keeping up.',
      pendingApprovalBlocks,
    ),
    ...section('Reassessments you owe', w.assessments, 'No reassessments to answer. All caught up.', (a) =>
      assessmentEntry(a, w.today),
    ),
    ...section('Vendors you own', w.vendors, 'You do not own any vendors.', (v) => vendorEntry(v, w.today)),
  ];
}
