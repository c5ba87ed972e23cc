import type { DbOrTx } from '../../store/database.ts';
import type { EvidenceRow } from '../../store/tables.ts';
import { daysBetween } from '../common/dates.ts';
import { EVIDENCE_LABELS, EVIDENCE_TYPES, type EvidenceType } from '../common/vocabulary.ts';
import { IN_CADENCE } from '../lifecycle/states.ts';
import type { Policy } from '../policy/policy.ts';

export type EvidenceState = 'valid' | 'expiring' | 'expired' | 'missing';

export interface EvidenceStatus {
  type: EvidenceType;
  label: string;
  /** The record with the latest expiry: a renewal supersedes the document it replaces. */
  latest: EvidenceRow | null;
  status: EvidenceState;
  /** Days until expiry (0 on the day, negative after); null when missing. */
  daysLeft: number | null;
}

/**
 * Pure: one line per evidence type. The expiry day itself counts as expired, matching the reminder
 * plan, where the expiry day opens a finding.
 */
export function evidenceStatus(rows: readonly EvidenceRow[], today: string, policy: Policy): EvidenceStatus[] {
  return EVIDENCE_TYPES.map((type) => {
    let latest: EvidenceRow | null = null;
    for (const row of rows) {
      if (row.type === type && (latest === null || row.expires_on > latest.expires_on)) latest = row;
    }
    if (latest === null) return { type, label: EVIDENCE_LABELS[type], latest, status: 'missing', daysLeft: null };
    const daysLeft = daysBetween(today, latest.expires_on);
    const status: EvidenceState =
      daysLeft <= 0 ? 'expired' : daysLeft <= policy.evidenceExpiringDays ? 'expiring' : 'valid';
    return { type, label: EVIDENCE_LABELS[type], latest, status, daysLeft };
  });
}

export interface DueEvidence extends EvidenceRow {
  vendor_name: string;
  owner_id: string | null;
  channel: string | null;
}

/**
 * For the scheduler: the current document of each vendor and type that expires on or before `through`
 * (usually today plus the longest reminder offset), for vendors still in service. A document that has
 * been renewed is left out, so nobody is reminded about a certificate already replaced.
 */
export async function listEvidenceDue(db: DbOrTx, through: string, since?: string): Promise<DueEvidence[]> {
  let query = currentEvidenceDueBy(db, through)
    .selectAll('e')
    .select(['v.name as vendor_name', 'v.owner_id', 'v.channel']);
  if (since) query = query.where('e.expires_on', '>=', since);
  return query.orderBy('e.expires_on').orderBy('e.id').execute();
}

/**
 * The rule of which documents are due, as a query to select from (`e` evidence, `v` vendors): the
 * current document of each vendor and type expiring on or before `through`, for vendors in service.
 * A renewal supersedes the document it replaces. The scheduler extends it with what already fired.
 */
export function currentEvidenceDueBy(db: DbOrTx, through: string) {
  return db
    .selectFrom('evidence as e')
    .innerJoin('vendors as v', 'v.id', 'e.vendor_id')
    .where('e.expires_on', '<=', through)
    .where('v.status', 'in', IN_CADENCE)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('evidence as newer')
            .select('newer.id')
            .whereRef('newer.vendor_id', '=', 'e.vendor_id')
            .whereRef('newer.type', '=', 'e.type')
            .whereRef('newer.expires_on', '>', 'e.expires_on'),
        ),
      ),
    );
}
