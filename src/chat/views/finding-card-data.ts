import { type ApprovalDetail, approvalsForFinding } from '../../core/approvals/queries.ts';
import { auditTrail } from '../../core/audit/log.ts';
import { signaturesFor } from '../../core/audit/signatures.ts';
import { findFinding } from '../../core/findings/queries.ts';
import type { DbOrTx } from '../../store/database.ts';
import type { FindingCardData } from './finding-card.ts';

// Everything the finding card shows, read in one place so the channel card, the assignee's DM and
// the Home tab agree. The latest change comes from the audit log: the record of who did what, when.

const CHANGE_LABELS: Record<string, string> = {
  'finding.open': 'Opened',
  'finding.acknowledge': 'Acknowledged',
  'finding.assign': 'Assigned',
  'finding.escalate': 'Escalation requested',
  'finding.request_acceptance': 'Risk acceptance requested',
  'finding.approve_escalation': 'Escalation approved',
  'finding.approve_acceptance': 'Risk acceptance approved',
  'finding.reject': 'Request rejected',
  'finding.resolve': 'Resolved',
  'finding.reopen': 'Reopened',
  'finding.propose_fix': 'Marked fixed',
  'finding.verify_fix': 'Fix verified',
  'finding.return_fix': 'Fix sent back',
  'finding.withdraw_request': 'Request withdrawn',
};

export function changeLabel(action: string): string {
  return CHANGE_LABELS[action] ?? action.replace(/^finding\./, '').replace(/_/g, ' ');
}

/** The card's data, or null when the finding no longer exists. */
export async function loadFindingCard(db: DbOrTx, findingId: number): Promise<FindingCardData | null> {
  const finding = await findFinding(db, findingId);
  if (!finding) return null;
  const last = (await auditTrail(db, 'finding', findingId)).at(-1);
  const requests: ApprovalDetail[] = [];
  for (const request of await approvalsForFinding(db, findingId)) {
    const decided = request.state === 'approved' || request.state === 'rejected';
    requests.push({ ...request, signatures: decided ? await signaturesFor(db, 'approval_request', request.id) : [] });
  }
  return {
    finding,
    lastChange: last ? { label: changeLabel(last.action), by: last.actor_name, at: last.at } : null,
    requests,
  };
}
