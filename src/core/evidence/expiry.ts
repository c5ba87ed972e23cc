import type { DbOrTx, Tx } from '../../store/database.ts';
import type { EvidenceRow, FindingRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import {
  EVIDENCE_LABELS,
  EVIDENCE_TYPES,
  type EvidenceType,
  isOneOf,
  SEVERITIES,
  type Severity,
} from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';

// The expiry day of a document opens a finding (the `expired` slot in cadence.ts). Contracts that are
// the legal basis for sharing data weigh more than reports; a critical-tier vendor lifts each one step.

const BASE_SEVERITY: Record<EvidenceType, Severity> = {
  hipaa_baa: 'high',
  gdpr_dpa: 'high',
  soc2_type2: 'medium',
  iso27001: 'medium',
  pentest: 'medium',
  insurance: 'low',
  part11_attestation: 'high',
};

const WHY: Record<EvidenceType, string> = {
  hipaa_baa:
    'Sharing PHI with a business associate without a BAA in force is itself a HIPAA violation (45 CFR 164.502(e)), ' +
    'whether or not anything goes wrong. Renew it before more PHI flows, or pause the flow.',
  gdpr_dpa:
    'Processing personal data through a processor without an Art. 28 contract in force breaches GDPR on its own. ' +
    'Renew the DPA, and check the sub-processor list while you are at it.',
  soc2_type2:
    'Without a current SOC 2 Type II report there is no independent evidence that the controls kept working ' +
    'over the last period. Ask for the new report, or a bridge letter if it is in progress.',
  iso27001:
    'The ISO 27001 certificate has lapsed: the security management system is no longer certified. ' +
    'Ask whether the surveillance audit happened and for the renewed certificate.',
  pentest:
    'The last penetration test is out of date: code and infrastructure changed since have not been tested ' +
    'by anyone trying to break in. Ask for the new report and the status of its findings.',
  insurance:
    'The cyber insurance has lapsed: the costs of an incident at this vendor may fall on us. ' +
    'Ask for the renewed certificate of insurance.',
  part11_attestation:
    'The attestation that the system is validated for 21 CFR Part 11 (electronic records and signatures) has ' +
    'lapsed: trial records kept in it may not stand up to an inspection. Ask for the renewed attestation.',
};

export function expiredEvidenceSeverity(type: EvidenceType, tier: string): Severity {
  const base = BASE_SEVERITY[type];
  return tier === 'critical' ? SEVERITIES[Math.max(0, SEVERITIES.indexOf(base) - 1)]! : base;
}

/** Whether the vendor holds a later document of the same type, expiring after this one. */
export async function isRenewed(
  db: DbOrTx,
  doc: Pick<EvidenceRow, 'vendor_id' | 'type' | 'expires_on'>,
): Promise<boolean> {
  if (doc.expires_on === null) return false;
  const later = await db
    .selectFrom('evidence')
    .select('id')
    .where('vendor_id', '=', doc.vendor_id)
    .where('type', '=', doc.type)
    .where('expires_on', '>', doc.expires_on)
    .executeTakeFirst();
  return later !== undefined;
}

/**
 * Opens the "evidence expired" finding for one document, once (the dedupe key names the document).
 * Returns null when the document was renewed meanwhile or the vendor is offboarded.
 */
export async function openExpiredEvidenceFinding(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  evidenceId: number,
): Promise<{ finding: FindingRow; created: boolean } | null> {
  const row = await tx
    .selectFrom('evidence as e')
    .innerJoin('vendors as v', 'v.id', 'e.vendor_id')
    .select(['e.id', 'e.vendor_id', 'e.type', 'e.expires_on', 'v.name', 'v.tier', 'v.status'])
    .where('e.id', '=', evidenceId)
    .executeTakeFirst();
  if (!row || row.status === 'offboarded' || !isOneOf(EVIDENCE_TYPES, row.type)) return null;
  const type = row.type;
  if (await isRenewed(tx, row)) return null;
  const label = EVIDENCE_LABELS[type];
  return openFinding(tx, deps, actor, {
    vendorId: row.vendor_id,
    dedupeKey: `evidence:${row.id}:expired`,
    source: 'evidence_expiry',
    title: `${row.name}: ${label} expired on ${row.expires_on}`,
    detail: `${row.name}'s ${label} expired on ${row.expires_on} and no renewal has been recorded. ${WHY[type]}`,
    severity: expiredEvidenceSeverity(type, row.tier),
  });
}
