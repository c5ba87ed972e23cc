import { sql } from 'kysely';
import type { DbOrTx } from '../../store/database.ts';
import type { ApprovalRequestRow, FindingRow } from '../../store/tables.ts';
import { notFound } from '../common/errors.ts';
import { type FindingState, SEVERITIES, type Severity } from '../common/vocabulary.ts';
import { principalsOf } from '../roles/identity.ts';
import { displayName } from '../roles/people.ts';
import { ACTIVE_STATES, availableActions, type CardAction } from './states.ts';

// Reading findings for cards, lists, the posture score and the scheduler. No writes here.

export interface FindingSummary extends FindingRow {
  vendor_name: string;
  assignee_name: string | null;
}

export interface FindingDetail extends FindingSummary {
  vendor_tier: string;
  acknowledged_by_name: string | null;
  resolved_by_name: string | null;
  fix_proposed_by_name: string | null;
  /** The request waiting for a decision, if any. */
  pending_request: ApprovalRequestRow | null;
  /** The buttons the card shows now. */
  actions: CardAction[];
}

export interface FindingFilter {
  vendorId?: number;
  severity?: Severity;
  assigneeId?: string;
  states?: FindingState[];
  limit: number;
  offset: number;
}

const severityRank = sql<number>`case findings.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

function summaries(db: DbOrTx) {
  return db
    .selectFrom('findings')
    .innerJoin('vendors', 'vendors.id', 'findings.vendor_id')
    .leftJoin('people as assignee', 'assignee.principal', 'findings.assignee_id')
    .selectAll('findings')
    .select(['vendors.name as vendor_name', 'assignee.display_name as assignee_name']);
}

export async function findFinding(db: DbOrTx, findingId: number): Promise<FindingDetail | null> {
  const row = await summaries(db)
    .select('vendors.tier as vendor_tier')
    .where('findings.id', '=', findingId)
    .executeTakeFirst();
  if (!row) return null;
  const pending = await db
    .selectFrom('approval_requests')
    .selectAll()
    .where('finding_id', '=', findingId)
    .where('state', '=', 'pending')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return {
    ...row,
    acknowledged_by_name: await displayName(db, row.acknowledged_by),
    resolved_by_name: await displayName(db, row.resolved_by),
    fix_proposed_by_name: await displayName(db, row.fix_proposed_by),
    pending_request: pending ?? null,
    actions: availableActions(row.state),
  };
}

export async function getFinding(db: DbOrTx, findingId: number): Promise<FindingDetail> {
  const finding = await findFinding(db, findingId);
  if (!finding) throw notFound(`Finding #${findingId} was not found.`);
  return finding;
}

/** One page of findings, most severe first, then earliest SLA; `total` counts every match. */
export async function listFindings(
  db: DbOrTx,
  filter: FindingFilter,
): Promise<{ items: FindingSummary[]; total: number }> {
  let query = summaries(db);
  if (filter.vendorId !== undefined) query = query.where('findings.vendor_id', '=', filter.vendorId);
  if (filter.severity) query = query.where('findings.severity', '=', filter.severity);
  if (filter.assigneeId) query = query.where('findings.assignee_id', '=', filter.assigneeId);
  if (filter.states) {
    if (filter.states.length === 0) return { items: [], total: 0 };
    query = query.where('findings.state', 'in', filter.states);
  }
  const { total } = await query.clearSelect().select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const items = await query
    .orderBy(severityRank)
    .orderBy('findings.sla_due_on')
    .orderBy('findings.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { items, total: Number(total) };
}

/** Active findings (not resolved, not risk-accepted) by severity, for one vendor or all. */
export async function openFindingCounts(db: DbOrTx, vendorId?: number): Promise<Record<Severity, number>> {
  let query = db
    .selectFrom('findings')
    .select(['severity', sql<number>`count(*)`.as('n')])
    .where('state', 'in', ACTIVE_STATES)
    .groupBy('severity');
  if (vendorId !== undefined) query = query.where('vendor_id', '=', vendorId);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const row of await query.execute()) {
    if (row.severity in counts) counts[row.severity] = Number(row.n);
  }
  return counts;
}

/** A person's active findings, most severe first. */
export async function findingsAssignedTo(db: DbOrTx, principal: string): Promise<FindingSummary[]> {
  return summaries(db)
    .where('findings.assignee_id', '=', principal)
    .where('findings.state', 'in', ACTIVE_STATES)
    .orderBy(severityRank)
    .orderBy('findings.sla_due_on')
    .execute();
}

/**
 * What a vendor owner or assignee has to fix: active findings on the vendors they own or assigned to
 * them (under any of their linked accounts), that wait on them rather than on an approver or a verifier. Earliest SLA first.
 */
export async function findingsToFixFor(db: DbOrTx, principal: string): Promise<FindingSummary[]> {
  const mine = await principalsOf(db, principal);
  return summaries(db)
    .where((eb) => eb.or([eb('vendors.owner_id', 'in', mine), eb('findings.assignee_id', 'in', mine)]))
    .where('findings.state', 'in', FIX_STATES)
    .orderBy('findings.sla_due_on')
    .orderBy(severityRank)
    .orderBy('findings.id')
    .execute();
}

/** States in which a finding waits for someone to fix it (not for an approver or a verifier). */
const FIX_STATES: readonly FindingState[] = ['open', 'acknowledged', 'assigned', 'escalated'];

export interface TriageQueue {
  /** Past their SLA and still waiting for work, earliest first. */
  breached: FindingSummary[];
  /** Critical and high findings nobody is assigned to (not already breached), most severe first. */
  unassigned: FindingSummary[];
  /** Fixes marked done, waiting for an analyst other than the one who marked them. */
  toVerify: FindingSummary[];
}

/** An analyst's triage queue. Each finding appears once, under the most urgent heading that fits it. */
export async function triageQueue(db: DbOrTx, principal: string, today: string): Promise<TriageQueue> {
  const breached = await summaries(db)
    .where('findings.state', 'in', FIX_STATES)
    .where('findings.sla_due_on', '<', today)
    .orderBy('findings.sla_due_on')
    .orderBy(severityRank)
    .orderBy('findings.id')
    .execute();
  const unassigned = await summaries(db)
    .where('findings.state', 'in', ['open', 'acknowledged'])
    .where('findings.assignee_id', 'is', null)
    .where('findings.severity', 'in', ['critical', 'high'])
    .where('findings.sla_due_on', '>=', today)
    .orderBy(severityRank)
    .orderBy('findings.sla_due_on')
    .orderBy('findings.id')
    .execute();
  const mine = await principalsOf(db, principal);
  const toVerify = await summaries(db)
    .where('findings.state', '=', 'fix_proposed')
    .where((eb) => eb.or([eb('findings.fix_proposed_by', 'is', null), eb('findings.fix_proposed_by', 'not in', mine)]))
    .orderBy('findings.fix_proposed_at')
    .orderBy('findings.id')
    .execute();
  return { breached, unassigned, toVerify };
}

/** Findings past their SLA that no one has escalated, accepted or resolved yet: the scheduler's input. */
export function slaBreaches(db: DbOrTx, today: string): Promise<FindingRow[]> {
  return db
    .selectFrom('findings')
    .selectAll()
    .where('state', 'in', ['open', 'acknowledged', 'assigned'])
    .where('sla_due_on', '<', today)
    .orderBy('id')
    .execute();
}

/** Risk acceptances whose last day has passed: each is due to reopen. */
export function expiredAcceptances(db: DbOrTx, today: string): Promise<FindingRow[]> {
  return db
    .selectFrom('findings')
    .selectAll()
    .where('state', '=', 'risk_accepted')
    .where('accepted_until', '<', today)
    .orderBy('id')
    .execute();
}

// An approver's inbox lives with the approval queries; re-exported so finding views need one import.
export { pendingApprovalsFor } from '../approvals/queries.ts';
