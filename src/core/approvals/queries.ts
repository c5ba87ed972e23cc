import type { DbOrTx } from '../../store/database.ts';
import type { ApprovalRequestRow, SignatureRow } from '../../store/tables.ts';
import { signaturesFor } from '../audit/signatures.ts';
import { notFound } from '../common/errors.ts';
import { principalsOf } from '../roles/identity.ts';

// Reading approval requests for the approval card and an approver's inbox.

export interface ApprovalSummary extends ApprovalRequestRow {
  finding_title: string;
  finding_severity: string;
  finding_state: string;
  vendor_id: number;
  vendor_name: string;
  requested_by_name: string | null;
  decided_by_name: string | null;
  withdrawn_by_name: string | null;
}

export interface ApprovalDetail extends ApprovalSummary {
  /** The decision's signature(s), for the §11.50 manifestation on the card. */
  signatures: SignatureRow[];
}

function summaries(db: DbOrTx) {
  return db
    .selectFrom('approval_requests')
    .innerJoin('findings', 'findings.id', 'approval_requests.finding_id')
    .innerJoin('vendors', 'vendors.id', 'findings.vendor_id')
    .leftJoin('people as requester', 'requester.principal', 'approval_requests.requested_by')
    .leftJoin('people as decider', 'decider.principal', 'approval_requests.decided_by')
    .leftJoin('people as withdrawer', 'withdrawer.principal', 'approval_requests.withdrawn_by')
    .selectAll('approval_requests')
    .select([
      'findings.title as finding_title',
      'findings.severity as finding_severity',
      'findings.state as finding_state',
      'vendors.id as vendor_id',
      'vendors.name as vendor_name',
      'requester.display_name as requested_by_name',
      'decider.display_name as decided_by_name',
      'withdrawer.display_name as withdrawn_by_name',
    ]);
}

/** What an approver may decide: every pending request except their own (any linked account), oldest first. */
export async function pendingApprovalsFor(db: DbOrTx, approverId: string): Promise<ApprovalSummary[]> {
  return summaries(db)
    .where('approval_requests.state', '=', 'pending')
    .where('approval_requests.requested_by', 'not in', await principalsOf(db, approverId))
    .orderBy('approval_requests.requested_at')
    .orderBy('approval_requests.id')
    .execute();
}

export async function getApprovalRequest(db: DbOrTx, requestId: number): Promise<ApprovalDetail> {
  const row = await summaries(db).where('approval_requests.id', '=', requestId).executeTakeFirst();
  if (!row) throw notFound(`Approval request #${requestId} was not found.`);
  return { ...row, signatures: await signaturesFor(db, 'approval_request', requestId) };
}

/** Every request ever made on a finding, oldest first: its escalation history. */
export function approvalsForFinding(db: DbOrTx, findingId: number): Promise<ApprovalSummary[]> {
  return summaries(db).where('approval_requests.finding_id', '=', findingId).orderBy('approval_requests.id').execute();
}
