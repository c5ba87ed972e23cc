import { manifestation } from '../audit/signatures.ts';
import { formatUtc } from '../findings/text.ts';
import { clockName } from './clocks.ts';
import type { IncidentDetail } from './queries.ts';

// The regulator-ready record of one incident: the facts, when we became aware, every clock and how it
// ended, the decisions with their signatures and the whole timeline. JSON for tools, Markdown for people.

export interface IncidentReport {
  incident: {
    number: number;
    vendor: string;
    scenario: string;
    scenario_title: string | null;
    severity: string;
    summary: string;
    state: string;
    our_role: string;
    aware_at: string;
    vendor_aware_at: string | null;
    vendor_notified_at: string | null;
    declared_by: string;
    declared_at: string;
    lead: string;
    closed_at: string | null;
  };
  facts: {
    vendor_regulatory_scope: string[];
    vendor_data_types: string[];
    questions: string[];
    linked_findings: number[];
    linked_signals: number[];
  };
  clocks: {
    regulation: string;
    recipient: string;
    starts_at: string;
    deadline: string;
    state: string;
    note: string | null;
    settled_at: string | null;
  }[];
  tasks: {
    number: number;
    phase: string;
    title: string;
    role: string;
    assignee: string | null;
    done_by: string | null;
    done_at: string | null;
  }[];
  decisions: {
    number: number;
    kind: string;
    clock: string | null;
    reason: string;
    requested_by: string;
    state: string;
    signature: {
      signer: string;
      signed_at: string;
      meaning: string;
      record_hash: string;
      manifestation: string;
    } | null;
  }[];
  review: unknown;
  timeline: { at: string; by: string; text: string }[];
}

export function buildReport(d: IncidentDetail): IncidentReport {
  const name = (p: string | null) => (p ? (d.names[p] ?? p) : null);
  const i = d.incident;
  return {
    incident: {
      number: i.id,
      vendor: d.vendor.name,
      scenario: i.scenario,
      scenario_title: d.playbook?.title ?? null,
      severity: i.severity,
      summary: i.summary,
      state: i.state,
      our_role: i.our_role,
      aware_at: i.aware_at,
      vendor_aware_at: i.vendor_aware_at,
      vendor_notified_at: i.vendor_notified_at,
      declared_by: name(i.declared_by) ?? i.declared_by,
      declared_at: i.declared_at,
      lead: name(i.lead_id) ?? i.lead_id,
      closed_at: i.closed_at,
    },
    facts: {
      vendor_regulatory_scope: d.vendor.regulatory_scope,
      vendor_data_types: d.vendor.data_types,
      questions: d.playbook?.questions ?? [],
      linked_findings: d.links.filter((l) => l.kind === 'finding').map((l) => l.ref_id),
      linked_signals: d.links.filter((l) => l.kind === 'signal').map((l) => l.ref_id),
    },
    clocks: d.clocks.map((c) => ({
      regulation: c.regulation,
      recipient: c.recipient,
      starts_at: c.starts_at,
      deadline: c.deadline,
      state: c.state,
      note: c.note,
      settled_at: c.settled_at,
    })),
    tasks: d.tasks.map((t) => ({
      number: t.number,
      phase: t.phase,
      title: t.title,
      role: t.role,
      assignee: name(t.assignee_id),
      done_by: name(t.done_by),
      done_at: t.done_at,
    })),
    decisions: d.decisions.map((dec) => {
      const clock = d.clocks.find((c) => c.id === dec.clock_id);
      return {
        number: dec.id,
        kind: dec.kind,
        clock: clock ? clockName(clock) : null,
        reason: dec.reason,
        requested_by: name(dec.requested_by) ?? dec.requested_by,
        state: dec.state,
        signature: dec.signature
          ? {
              signer: dec.signature.signer_name,
              signed_at: dec.signature.signed_at,
              meaning: dec.signature.meaning,
              record_hash: dec.signature.record_hash,
              manifestation: manifestation(dec.signature),
            }
          : null,
      };
    }),
    review: i.review ? JSON.parse(i.review) : null,
    timeline: d.timeline.map((t) => ({ at: t.at, by: t.actor_name, text: t.text })),
  };
}

const STATE_WORDS: Record<string, string> = {
  running: 'running',
  met: 'met',
  not_required: 'not required',
  missed: 'MISSED',
};

export function reportMarkdown(r: IncidentReport): string {
  const i = r.incident;
  const lines = [
    `# Incident #${i.number}: ${i.vendor} (${i.scenario_title ?? i.scenario})`,
    '',
    `- Summary: ${i.summary}`,
    `- Severity: ${i.severity}; state: ${i.state.replace('_', ' ')}; our role: ${i.our_role}`,
    `- Aware since: ${formatUtc(i.aware_at)}${i.vendor_aware_at ? `; vendor aware since ${formatUtc(i.vendor_aware_at)}` : ''}${i.vendor_notified_at ? `; vendor told us ${formatUtc(i.vendor_notified_at)}` : ''}`,
    `- Declared by ${i.declared_by} at ${formatUtc(i.declared_at)}; lead: ${i.lead}${i.closed_at ? `; closed ${formatUtc(i.closed_at)}` : ''}`,
    `- Vendor scope: ${r.facts.vendor_regulatory_scope.join(', ') || 'none'}; data: ${r.facts.vendor_data_types.join(', ') || 'none'}`,
    `- Linked findings: ${r.facts.linked_findings.map((f) => `#${f}`).join(', ') || 'none'}`,
    '',
    '## Regulatory clocks',
    '',
    '| Regulation | Recipient | Starts | Deadline | State | How |',
    '|---|---|---|---|---|---|',
    ...r.clocks.map(
      (c) =>
        `| ${c.regulation} | ${c.recipient} | ${formatUtc(c.starts_at)} | ${formatUtc(c.deadline)} | ${STATE_WORDS[c.state] ?? c.state} | ${(c.note ?? '').replace(/\|/g, '/')} |`,
    ),
    '',
    '## Decisions',
    '',
    ...(r.decisions.length
      ? r.decisions.map(
          (d) =>
            `- D${d.number} ${d.kind === 'closure' ? 'Closure' : `Not required: ${d.clock}`}, asked by ${d.requested_by}: ${d.reason}. ${d.signature ? d.signature.manifestation : 'Waiting for a signature.'}`,
        )
      : ['None.']),
    '',
    '## Tasks',
    '',
    ...r.tasks.map(
      (t) =>
        `- [${t.done_at ? 'x' : ' '}] T${t.number} (${t.phase}, ${t.role}) ${t.title}${t.done_at ? ` — done by ${t.done_by} at ${formatUtc(t.done_at)}` : ''}`,
    ),
    '',
    '## Questions to answer',
    '',
    ...r.facts.questions.map((q) => `- ${q}`),
    '',
    '## Timeline',
    '',
    ...r.timeline.map((t) => `- ${formatUtc(t.at)} ${t.by}: ${t.text}`),
    '',
  ];
  return lines.join('\n');
}
