import { EVIDENCE_LABELS, EVIDENCE_TYPES, TIERS } from '../../core/common/vocabulary.ts';
import { clockName } from '../../core/incidents/clocks.ts';
import type { IncidentDetail } from '../../core/incidents/queries.ts';
import type { IncidentDecisionRow } from '../../store/tables.ts';
import { inert } from '../inert.ts';
import type { Form, FormField } from '../reply.ts';

// The forms an incident card's buttons open: a clock met or not required, declaring from a finding,
// the post-incident review that closes it, and the signing of a decision.

/** Recording a running clock as met, or proposing that its notification is not required. */
export function clockForm(d: IncidentDetail, running: IncidentDetail['clocks'], kind: 'met' | 'not-required'): Form {
  const options = running.map((c) => ({ value: String(c.id), label: clockName(c).slice(0, 75) }));
  return kind === 'met'
    ? {
        id: 'incident.met',
        title: 'Clock met',
        submitLabel: 'Record',
        state: String(d.incident.id),
        intro: `Incident #${d.incident.id} at ${inert(d.vendor.name)}: record a notification as sent (or, for the vendor's notice, as received now).`,
        fields: [
          { id: 'clock', label: 'Which clock?', kind: 'select', options },
          {
            id: 'note',
            label: 'How and to whom?',
            kind: 'textarea',
            placeholder: 'Portal reference, letter, recipient',
          },
        ],
      }
    : {
        id: 'incident.not-required',
        title: 'Notification not required',
        submitLabel: 'Ask an approver',
        state: String(d.incident.id),
        intro: 'An approver other than you signs this decision; the clock keeps running until then.',
        fields: [
          { id: 'clock', label: 'Which clock?', kind: 'select', options },
          { id: 'reason', label: 'Why is it not required?', kind: 'textarea', placeholder: 'The regulator may ask' },
        ],
      };
}

/** Declaring an incident from a finding's card: the scenario (a playbook) and what happened. */
export function declareForm(findingId: number, title: string, playbooks: { id: string; title: string }[]): Form {
  return {
    id: 'incident.declare',
    title: 'Declare incident',
    submitLabel: 'Declare now',
    state: String(findingId),
    intro: 'Declaring starts the playbook and the regulatory clocks at once; no approval is needed.',
    fields: [
      {
        id: 'scenario',
        label: 'Scenario',
        kind: 'select',
        options: playbooks.map((b) => ({ value: b.id, label: b.title })),
        initial: 'datastore-exposed',
      },
      { id: 'summary', label: 'What happened?', kind: 'text', initial: title.slice(0, 150) },
    ],
  };
}

/** The post-incident review; an approver signs the closure it asks for. */
export function closeForm(incidentId: number): Form {
  return {
    id: 'incident.close',
    title: 'Post-incident review',
    submitLabel: 'Ask an approver to close',
    state: String(incidentId),
    intro: 'An approver other than you signs the closure; each answer is then applied in one step.',
    fields: [
      { id: 'lessons', label: 'Lessons learned', kind: 'textarea' },
      { id: 'followups', label: 'Follow-up findings, one per line', kind: 'textarea', optional: true },
      {
        id: 'tier',
        label: 'Vendor tier from now on',
        kind: 'select',
        optional: true,
        options: TIERS.map((t) => ({ value: t, label: t })),
      },
      { id: 'next_review', label: 'Next review (cadence change)', kind: 'date', optional: true },
      {
        id: 'evidence',
        label: 'Evidence to obtain again',
        kind: 'multiselect',
        optional: true,
        options: EVIDENCE_TYPES.map((e) => ({ value: e, label: EVIDENCE_LABELS[e] })),
      },
    ],
  };
}

/** The signing confirmation of an incident decision: what is signed, and the signer's PIN field if asked. */
export function signForm(decision: IncidentDecisionRow, pinFields: FormField[]): Form {
  const what =
    decision.kind === 'closure' ? 'closing the incident with its post-incident review' : 'a notification not required';
  return {
    id: 'incident.sign',
    title: `Sign decision D${decision.id}`,
    submitLabel: 'Sign',
    state: String(decision.id),
    intro:
      `Decision D${decision.id} on incident #${decision.incident_id}: ${what}.\n` +
      "You are signing electronically with your chat identity and your signing PIN. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
    fields: pinFields,
  };
}
