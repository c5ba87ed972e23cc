import { isIsoDate } from '../../core/common/dates.ts';
import {
  isOneOf,
  REQUESTED_ACTION_LABELS,
  REQUESTED_ACTIONS,
  type RequestedAction,
} from '../../core/common/vocabulary.ts';
import type { FindingDetail } from '../../core/findings/queries.ts';
import type { FormValues } from '../command.ts';
import { inert } from '../inert.ts';
import type { Form } from '../reply.ts';

// The forms behind the finding card's buttons, and the checks that turn a submission into input for
// the core or into errors shown next to the fields. The core checks everything again.

/** Actions whose request names a date: a deadline to remediate by, or the day a risk acceptance ends. */
const DATE_REQUIRED: readonly RequestedAction[] = ['remediation_deadline', 'accept_risk'];

const subject = (f: FindingDetail) => `Finding #${f.id} on **${inert(f.vendor_name)}**: ${inert(f.title)}`;

/**
 * A finding form's state: the finding and the version it was opened on (`12@v4`), so the change is
 * refused if someone else changed the finding while the form was open (core/findings/seen-version.ts).
 */
export function findingFormState(f: { id: number; version: number }): string {
  return `${f.id}@v${f.version}`;
}

/** The finding id and the version a form was opened on; a bare id (older forms, buttons) has no version. */
export function readFindingFormState(state: string): { id: number; version: number | null } {
  const m = /^([1-9]\d{0,14})(?:@v([1-9]\d{0,14}))?$/.exec(state.trim());
  return m ? { id: Number(m[1]), version: m[2] ? Number(m[2]) : null } : { id: Number.NaN, version: null };
}

export function assignForm(f: FindingDetail): Form {
  return {
    id: 'finding.assign',
    title: 'Assign finding',
    submitLabel: 'Assign',
    state: findingFormState(f),
    intro: `${subject(f)}\nThe person you pick gets a direct message with the card.`,
    fields: [
      { id: 'assignee', label: 'Assign to', kind: 'user', ...(f.assignee_id ? { initial: f.assignee_id } : {}) },
    ],
  };
}

export function escalateForm(f: FindingDetail): Form {
  return {
    id: 'finding.escalate',
    title: 'Escalate finding',
    submitLabel: 'Ask an approver',
    state: findingFormState(f),
    intro: `${subject(f)}\nAn approver decides in the approvals channel; the card shows the request until then.`,
    fields: [
      { id: 'reason', label: 'Why escalate?', kind: 'textarea', placeholder: 'What is at risk if this waits' },
      {
        id: 'action',
        label: 'Requested action',
        kind: 'select',
        initial: 'remediation_deadline',
        options: REQUESTED_ACTIONS.map((a) => ({ value: a, label: REQUESTED_ACTION_LABELS[a] })),
      },
      {
        id: 'until',
        label: 'By (or until) date',
        kind: 'date',
        optional: true,
        hint: 'Required for a remediation deadline and for a risk acceptance.',
      },
    ],
  };
}

export function resolveForm(f: FindingDetail): Form {
  return {
    id: 'finding.resolve',
    title: 'Resolve finding',
    submitLabel: 'Resolve',
    state: findingFormState(f),
    intro: subject(f),
    fields: [
      {
        id: 'note',
        label: 'How was it resolved?',
        kind: 'textarea',
        placeholder: 'What was fixed, and how it was verified',
      },
    ],
  };
}

export function acceptForm(f: FindingDetail): Form {
  return {
    id: 'finding.accept',
    title: 'Request risk acceptance',
    submitLabel: 'Ask an approver',
    state: findingFormState(f),
    intro: `${subject(f)}\nAn approver signs the acceptance; the finding reopens the day after it ends.`,
    fields: [
      {
        id: 'reason',
        label: 'Why accept the risk?',
        kind: 'textarea',
        placeholder: 'Compensating controls, business need',
      },
      { id: 'until', label: 'Accept until', kind: 'date' },
    ],
  };
}

/** A single text value, trimmed; '' when absent. */
export function textValue(values: FormValues, field: string): string {
  const value = values[field];
  return (Array.isArray(value) ? value.join(', ') : (value ?? '')).trim();
}

/** Why a date field is not acceptable, or null: a real calendar date after today. */
export function dateError(value: string, required: boolean, today: string): string | null {
  if (!value) return required ? 'Pick a date.' : null;
  if (!isIsoDate(value)) return 'Pick a date like 2026-12-31.';
  if (value <= today) return `Pick a date after today (${today}).`;
  return null;
}

export type Checked<T> = { ok: true; input: T } | { ok: false; fieldErrors: Record<string, string> };

export interface EscalationValues {
  reason: string;
  requestedAction: RequestedAction;
  actionUntil: string | null;
}

export function checkEscalation(values: FormValues, today: string): Checked<EscalationValues> {
  const errors: Record<string, string> = {};
  const reason = textValue(values, 'reason');
  if (!reason) errors.reason = 'Say why: an approver reads this before deciding.';
  const action = textValue(values, 'action');
  if (!isOneOf(REQUESTED_ACTIONS, action)) errors.action = 'Pick the action you are asking for.';
  const until = textValue(values, 'until');
  const dateProblem = dateError(until, isOneOf(DATE_REQUIRED, action), today);
  if (dateProblem) errors.until = dateProblem;
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: { reason, requestedAction: action as RequestedAction, actionUntil: until || null } };
}

export function checkAcceptance(values: FormValues, today: string): Checked<{ reason: string; until: string }> {
  const errors: Record<string, string> = {};
  const reason = textValue(values, 'reason');
  if (!reason) errors.reason = 'Say why the risk can be accepted.';
  const until = textValue(values, 'until');
  const dateProblem = dateError(until, true, today);
  if (dateProblem) errors.until = dateProblem;
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, input: { reason, until } };
}
