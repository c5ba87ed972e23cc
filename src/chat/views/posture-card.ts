import { SEVERITIES } from '../../core/common/vocabulary.ts';
import { describeRule } from '../../core/evidence/required.ts';
import type { EvidenceStatus } from '../../core/evidence/status.ts';
import { gateText } from '../../core/lifecycle/states.ts';
import type { Posture } from '../../core/posture/posture.ts';
import { ACTIONS } from '../actions.ts';
import { inert, inertTitle } from '../inert.ts';
import { type Block, ephemeral, type Reply } from '../reply.ts';
import { personText, relativeDay, SEVERITY_MARKS } from './vendor-lines.ts';

// A vendor's posture on one card: the grade and what it means, then every deduction line by line
// with its points (the score is never a black box), the evidence with expiry dates, open findings by
// severity, and the review dates. Two buttons lead on: start a reassessment, list the findings.

// "Start reassessment" uses the reassess module's start action with a vendor: it requests one if
// none is open (asking the owner) and opens the questionnaire for whoever may answer it.
export const POSTURE_ACTIONS = {
  reassess: ACTIONS.assessmentStart,
  findings: ACTIONS.findingsPage,
} as const;

const EVIDENCE_MARKS: Record<EvidenceStatus['status'], string> = {
  valid: '✅',
  expiring: '⏳',
  expired: '❌',
  missing: '▫️',
};

function evidenceLine(e: EvidenceStatus, today: string): string {
  const mark = EVIDENCE_MARKS[e.status];
  if (!e.latest) return `${mark} ${e.label}: missing`;
  const on = e.latest.expires_on;
  if (e.status === 'expired') return `${mark} ${e.label}: **expired** ${on} (${relativeDay(on, today, 'ago')})`;
  const soon = e.status === 'expiring' ? '**expiring** ' : 'valid until ';
  return `${mark} ${e.label}: ${soon}${on} (${relativeDay(on, today)})`;
}

function driverLines(posture: Posture): string {
  if (posture.drivers.length === 0) return 'Nothing lowers the score.';
  return posture.drivers
    .map((d) => `\`${String(d.points).padStart(4)}\` ${d.label} _(${d.from})_. ${inert(d.detail)}`)
    .join('\n');
}

/** The documents policy requires of this vendor, each held or missing. */
function requiredBlock(posture: Posture): Block[] {
  if (posture.requiredEvidence.length === 0) return [];
  const lines = posture.requiredEvidence.map(
    (r) => `${r.satisfiedBy ? '✅' : '❌'} ${describeRule(r.rule)}${r.satisfiedBy ? '' : ': **missing**'}`,
  );
  return [{ type: 'text', text: `**Required by policy**\n${lines.join('\n')}` }];
}

function findingsLine(posture: Posture): string {
  const counts = SEVERITIES.map((s) => `${SEVERITY_MARKS[s]} ${posture.openFindings[s]} ${s}`);
  return counts.join(' · ');
}

function reviewText(posture: Posture, today: string): string {
  const last = posture.lastReviewOn ? `Last review ${posture.lastReviewOn}` : 'Never reviewed here';
  if (posture.vendor.status === 'offboarded') return `${last} · offboarded, no further reviews`;
  const gate = gateText(posture.vendor.status);
  if (gate) return `${last} · ${gate}`;
  if (!posture.nextReviewOn) return `${last} · no review scheduled`;
  const next = posture.overdue
    ? `⚠️ **next review overdue** since ${posture.nextReviewOn} (${posture.overdueDays} ${posture.overdueDays === 1 ? 'day' : 'days'})`
    : `next review ${posture.nextReviewOn} (${relativeDay(posture.nextReviewOn, today)})`;
  return `${last} · ${next}`;
}

export function postureCard(posture: Posture, ownerName: string | null, today: string): Reply {
  const v = posture.vendor;
  const tier = v.tier_override_reason ? `${v.tier} (override: ${v.tier_override_reason})` : v.tier;
  const openTotal = SEVERITIES.reduce((n, s) => n + posture.openFindings[s], 0);
  const blocks: Block[] = [
    {
      type: 'header',
      text: `${inertTitle(v.name)}: grade ${posture.grade} (${posture.score}/100)${posture.assessed ? '' : ', not yet assessed'}`,
    },
    ...(gateText(v.status) ? [{ type: 'text' as const, text: `**${gateText(v.status)}**` }] : []),
    {
      type: 'fields',
      fields: [
        { label: 'Grade', value: `${posture.grade} (${posture.score}/100)` },
        { label: 'Residual risk', value: posture.residual },
        { label: 'Tier', value: tier },
        { label: 'Owner', value: personText(v.owner_id, ownerName) },
      ],
    },
    { type: 'text', text: `**What lowers the score**\n${driverLines(posture)}` },
    { type: 'text', text: `**Evidence**\n${posture.evidence.map((e) => evidenceLine(e, today)).join('\n')}` },
    ...requiredBlock(posture),
    { type: 'text', text: `**Open findings** (${openTotal})\n${findingsLine(posture)}` },
    { type: 'context', text: reviewText(posture, today) },
    {
      type: 'actions',
      buttons: [
        { action: POSTURE_ACTIONS.reassess, label: 'Start reassessment', value: `vendor:${v.id}`, style: 'primary' },
        { action: POSTURE_ACTIONS.findings, label: 'Show findings', value: `vendor=${v.id}` },
      ],
    },
  ];
  const drivers = posture.drivers.map((d) => `${d.points} ${d.label}`).join('; ');
  const text =
    `${gateText(v.status) ? `${inert(v.name)}: ${gateText(v.status)}. ` : ''}${inert(v.name)}: grade ${posture.grade}, score ${posture.score}/100, residual risk ${posture.residual}, tier ${v.tier}. ` +
    `${posture.assessed ? '' : 'Not yet assessed. '}${drivers ? `Deductions: ${drivers}. ` : ''}${openTotal} open findings. ${reviewText(posture, today)}`;
  return ephemeral(text, blocks);
}
