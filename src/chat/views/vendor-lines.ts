import { daysBetween } from '../../core/common/dates.ts';
import type { FindingSummary } from '../../core/findings/queries.ts';
import { STATE_LABELS } from '../../core/findings/states.ts';
import { gateText } from '../../core/lifecycle/states.ts';
import type { VendorRow } from '../../store/tables.ts';
import { inert, inertTitle } from '../inert.ts';
import { mention } from '../reply.ts';

// One compact line per vendor, finding or due item, for lists that page. A line leads with what
// people scan for (name, severity, date) and says "overdue" in words, never by colour alone.

export const SEVERITY_MARKS: Record<string, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '⚪',
};

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "today", "in 3 days", "3 days overdue" (or "3 days ago" for things that just happened). */
export function relativeDay(on: string, today: string, past = 'overdue'): string {
  const days = daysBetween(today, on);
  if (days === 0) return 'today';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ${past}`;
}

/** A person as a mention when we know them, else "no owner". */
export function personText(principal: string | null, name: string | null): string {
  return principal ? mention(principal, name ?? principal) : '_no owner_';
}

export function vendorLine(vendor: VendorRow, ownerName: string | null, today: string): string {
  const parts = [`**${inert(vendor.name)}**`, `${vendor.tier}${vendor.tier_override_reason ? ' (override)' : ''}`];
  parts.push(`owner ${personText(vendor.owner_id, ownerName)}`);
  const gate = gateText(vendor.status);
  if (gate) parts.push(gate);
  else if (vendor.status === 'offboarded') parts.push('offboarded');
  else if (vendor.status === 'offboarding') parts.push('offboarding');
  else if (vendor.next_review_on) {
    const overdue = vendor.next_review_on < today;
    parts.push(
      `${overdue ? '⚠️ review overdue' : 'review'} ${vendor.next_review_on} (${relativeDay(vendor.next_review_on, today)})`,
    );
  }
  return parts.join(' · ');
}

export function findingLine(finding: FindingSummary, today: string): string {
  const mark = SEVERITY_MARKS[finding.severity] ?? '•';
  const state = STATE_LABELS[finding.state] ?? finding.state;
  const sla = finding.sla_due_on < today ? `⚠️ SLA passed ${finding.sla_due_on}` : `SLA ${finding.sla_due_on}`;
  const who = finding.assignee_id
    ? ` · ${mention(finding.assignee_id, finding.assignee_name ?? finding.assignee_id)}`
    : '';
  return `${mark} #${finding.id} **${finding.severity}** · ${inert(finding.vendor_name)} · ${inertTitle(finding.title)} · ${state}${who} · ${sla}`;
}

/** Something due within a window: a reassessment or a document that expires. */
export type DueItem =
  | { kind: 'review'; on: string; vendorName: string; ownerId: string | null; ownerName: string | null }
  | {
      kind: 'evidence';
      on: string;
      vendorName: string;
      label: string;
      ownerId: string | null;
      ownerName: string | null;
    };

export function dueLine(item: DueItem, today: string): string {
  const late = item.on < today;
  const owner = personText(item.ownerId, item.ownerName);
  if (item.kind === 'review') {
    const when = `${late ? '⚠️ ' : ''}due ${item.on} (${relativeDay(item.on, today)})`;
    return `📋 Reassessment · **${item.vendorName}** · ${when} · ${owner}`;
  }
  const when = `${late || item.on === today ? '⚠️ expired' : 'expires'} ${item.on} (${relativeDay(item.on, today, 'ago')})`;
  return `📄 ${item.label} · **${item.vendorName}** · ${when} · ${owner}`;
}
