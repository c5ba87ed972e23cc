import { daysBetween } from '../../core/common/dates.ts';
import type { FindingState } from '../../core/common/vocabulary.ts';
import { describeRule } from '../../core/evidence/required.ts';
import type { FindingSummary } from '../../core/findings/queries.ts';
import { STATE_LABELS } from '../../core/findings/states.ts';
import { gateText } from '../../core/lifecycle/states.ts';
import type { Posture } from '../../core/posture/posture.ts';
import { readList } from '../../core/vendors/input.ts';
import { formatTable } from './table.ts';

// The posture of one vendor as terminal text: the same facts the chat lookup shows (grade, score,
// residual risk, every deduction, evidence, open findings, review dates), laid out for a terminal.

export interface PostureViewInput {
  posture: Posture;
  today: string;
  ownerName: string | null;
  findings: FindingSummary[];
  /** How many active findings there are in all, when `findings` is only the first page. */
  findingsTotal: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function relative(today: string, date: string): string {
  const days = daysBetween(today, date);
  if (days === 0) return 'today';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
}

function reviewLine(p: Posture, today: string): string {
  const last = p.lastReviewOn ? `last ${p.lastReviewOn}` : 'never reviewed';
  if (p.vendor.status === 'offboarded') return `Reviews: ${last}; offboarded, no further reviews`;
  if (!p.nextReviewOn) return `Reviews: ${last}; no review scheduled`;
  const next = `next due ${p.nextReviewOn} (${relative(today, p.nextReviewOn)})`;
  return `Reviews: ${last}; ${next}${p.overdue ? `: OVERDUE by ${plural(p.overdueDays, 'day')}` : ''}`;
}

function evidenceTable(p: Posture, today: string): string {
  const rows = p.evidence.map((e) => {
    if (!e.latest) return [e.label, 'missing', ''];
    const when = `${e.status === 'expired' ? 'expired' : 'expires'} ${e.latest.expires_on} (${relative(today, e.latest.expires_on)})`;
    return [e.label, e.status, when];
  });
  return formatTable(['DOCUMENT', 'STATUS', 'EXPIRY'], rows);
}

function findingsTable(findings: FindingSummary[], today: string): string {
  const rows = findings.map((f) => [
    `#${f.id}`,
    f.severity,
    STATE_LABELS[f.state] ?? f.state,
    `${f.sla_due_on}${f.sla_due_on < today ? ' (past SLA)' : ''}`,
    f.assignee_name ?? '',
    f.title,
  ]);
  return formatTable(['ID', 'SEVERITY', 'STATE', 'SLA DUE', 'ASSIGNEE', 'TITLE'], rows);
}

export function renderPosture(input: PostureViewInput): string {
  const { posture: p, today } = input;
  const v = p.vendor;
  const dataTypes = readList(v.data_types).join(', ') || 'none';
  const scope = readList(v.regulatory_scope).join(', ') || 'none';
  const gate = gateText(v.status);
  const lines = [
    `${v.name}`,
    ...(gate ? [gate.replace(/^\S+ /, '').toUpperCase()] : []),
    `Grade ${p.grade}, score ${p.score}/100, residual risk ${p.residual}${p.assessed ? '' : '; not yet assessed'}`,
    `Tier ${v.tier}${v.tier_override_reason ? ` (override: ${v.tier_override_reason})` : ''}; criticality ${v.criticality}; status ${v.status}`,
    `Data: ${dataTypes}; regulatory scope: ${scope}`,
    `Owner: ${input.ownerName ? `${input.ownerName} (${v.owner_id})` : 'none'}; channel: ${v.channel ?? 'default routing'}`,
    reviewLine(p, today),
    '',
    p.drivers.length ? 'Drivers:' : 'Drivers: none; nothing is deducted from the score',
    ...p.drivers.map((d) => `  ${String(d.points).padStart(4)}  ${d.label} [${d.from}]: ${d.detail}`),
    ...(p.requiredEvidence.length ? ['', 'Required by policy:'] : []),
    ...p.requiredEvidence.map((r) => `  ${r.satisfiedBy ? 'held   ' : 'MISSING'}  ${describeRule(r.rule)}`),
    '',
    'Evidence:',
    indent(evidenceTable(p, today)),
    '',
  ];
  if (input.findings.length === 0) lines.push('Open findings: none');
  else {
    lines.push(`Open findings (${input.findingsTotal}):`, indent(findingsTable(input.findings, today)));
    if (input.findingsTotal > input.findings.length) {
      lines.push(`  ... and ${input.findingsTotal - input.findings.length} more (export findings for all)`);
    }
  }
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
