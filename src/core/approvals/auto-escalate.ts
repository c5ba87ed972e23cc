import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import type { RequestedAction, Severity, Tier } from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';
import { isRequestable } from '../findings/states.ts';
import { loadFinding } from '../findings/transition.ts';
import { slaDueOn } from '../policy/cadence.ts';
import { type EscalationResult, requestEscalation } from './request.ts';

// Escalation requests the bot raises on its own: a finding past its SLA, a reassessment long overdue.
// The bot is the requester, so any approver may decide. Each cause asks once: the reason names the
// cause, and a finding that already carried a request for the same cause is left alone, so a
// rejected automatic request is not raised again on the next sweep.

export interface AutoEscalation {
  /** Names the cause and stays the same for it, e.g. "SLA due 2026-06-08 passed". */
  reason: string;
  requestedAction?: RequestedAction;
}

/** Requests an escalation as the system; null when the finding is not in a state to ask or was asked already. */
export async function autoEscalate(
  tx: Tx,
  deps: CoreDeps,
  findingId: number,
  cause: AutoEscalation,
): Promise<EscalationResult | null> {
  const finding = await loadFinding(tx, findingId);
  if (!isRequestable(finding.state)) return null;
  const asked = await tx
    .selectFrom('approval_requests')
    .select('id')
    .where('finding_id', '=', findingId)
    .where('requested_by', '=', SYSTEM_ACTOR.id)
    .where('reason', '=', cause.reason)
    .executeTakeFirst();
  if (asked) return null;
  const requestedAction = cause.requestedAction ?? 'remediation_deadline';
  return requestEscalation(tx, deps, SYSTEM_ACTOR, findingId, {
    requestedAction,
    reason: cause.reason,
    // The approver is asked to approve a date, not to invent one: the policy's SLA for the severity.
    actionUntil: requestedAction === 'remediation_deadline' ? proposedDeadline(deps, finding.severity) : null,
  });
}

/** The remediation deadline the bot proposes for a finding it escalates: today plus the SLA of its severity. */
export function proposedDeadline(deps: CoreDeps, severity: Severity): string {
  return slaDueOn(todayOf(deps), severity, deps.policy);
}

/** An SLA breach: the finding's due date passed while it was still open, acknowledged or assigned. */
export function escalateSlaBreach(tx: Tx, deps: CoreDeps, finding: Pick<FindingRow, 'id' | 'sla_due_on'>) {
  return autoEscalate(tx, deps, finding.id, { reason: `SLA due ${finding.sla_due_on} passed without resolution` });
}

/** How serious an overdue reassessment is, by the vendor's tier. */
export const OVERDUE_REVIEW_SEVERITY: Record<Tier, Severity> = {
  critical: 'high',
  high: 'high',
  medium: 'medium',
  low: 'low',
};

/**
 * A reassessment overdue past the policy's limit: opens a finding for it (once per due date) and asks
 * an approver to escalate. Returns the finding and the request (null when one was raised before).
 */
export async function escalateOverdueReview(
  tx: Tx,
  deps: CoreDeps,
  vendor: { id: number; name: string; tier: string },
  dueOn: string,
): Promise<{ finding: FindingRow; escalation: EscalationResult | null }> {
  const days = deps.policy.autoEscalateAfterOverdueDays;
  const { finding } = await openFinding(tx, deps, SYSTEM_ACTOR, {
    vendorId: vendor.id,
    dedupeKey: `review-overdue:${vendor.id}:${dueOn}`,
    source: 'cadence',
    title: `Reassessment of ${vendor.name} overdue since ${dueOn}`,
    detail: `The periodic reassessment was due on ${dueOn} and is more than ${days} days overdue.`,
    severity: OVERDUE_REVIEW_SEVERITY[vendor.tier as Tier] ?? 'medium',
  });
  const escalation = await autoEscalate(tx, deps, finding.id, {
    reason: `Reassessment due ${dueOn} is more than ${days} days overdue`,
  });
  return { finding: escalation?.finding ?? finding, escalation };
}
