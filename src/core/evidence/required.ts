import type { DbOrTx } from '../../store/database.ts';
import type { EvidenceRow, VendorRow } from '../../store/tables.ts';
import { addMonthsIso } from '../common/dates.ts';
import { EVIDENCE_LABELS } from '../common/vocabulary.ts';
import type { Policy, RequiredEvidenceRule } from '../policy/policy.ts';
import { readList } from '../vendors/input.ts';

// Which evidence a vendor must hold (policy.requiredEvidence: by data type, regulatory scope and tier)
// and which of it is missing now. Shared contract with the posture views: the exports below are the API.

export interface RequiredEvidence {
  rule: RequiredEvidenceRule;
  /** the evidence row that satisfies it, if any */
  satisfiedBy: EvidenceRow | null;
}

/** The rules that apply to this vendor, in policy order. Pure. */
export function requiredEvidenceRules(
  policy: Policy,
  vendor: Pick<VendorRow, 'tier' | 'data_types' | 'regulatory_scope'>,
): RequiredEvidenceRule[] {
  const dataTypes = readList(vendor.data_types);
  const scope = readList(vendor.regulatory_scope);
  return policy.requiredEvidence.filter(({ when }) => {
    if (when.dataType !== undefined && !dataTypes.includes(when.dataType)) return false;
    if (when.regulation !== undefined && !scope.includes(when.regulation)) return false;
    if (when.tiers !== undefined && !(when.tiers as string[]).includes(vendor.tier)) return false;
    return true;
  });
}

/** A document counts while unexpired (the expiry day itself counts as expired) and, when the rule says so, young enough. */
function satisfies(row: EvidenceRow, rule: RequiredEvidenceRule, today: string): boolean {
  if (!(rule.anyOf as string[]).includes(row.type) || row.expires_on <= today) return false;
  if (rule.maxAgeMonths === null) return true;
  return row.issued_on !== null && addMonthsIso(row.issued_on, rule.maxAgeMonths) > today;
}

/** Each applicable rule with the current (unexpired at `now`, young enough) evidence that satisfies it, or null. */
export async function requiredEvidenceStatus(
  db: DbOrTx,
  policy: Policy,
  vendor: VendorRow,
  now: Date,
): Promise<RequiredEvidence[]> {
  const rules = requiredEvidenceRules(policy, vendor);
  if (rules.length === 0) return [];
  const today = now.toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('evidence')
    .selectAll()
    .where('vendor_id', '=', vendor.id)
    .orderBy('expires_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rules.map((rule) => ({ rule, satisfiedBy: rows.find((row) => satisfies(row, rule, today)) ?? null }));
}

/** Only the unsatisfied ones. */
export async function missingRequiredEvidence(
  db: DbOrTx,
  policy: Policy,
  vendor: VendorRow,
  now: Date,
): Promise<RequiredEvidenceRule[]> {
  return (await requiredEvidenceStatus(db, policy, vendor, now)).filter((r) => !r.satisfiedBy).map((r) => r.rule);
}

/** 'HIPAA BAA (holds PHI)' or 'SOC 2 Type II or ISO 27001 (critical or high tier)'. */
export function describeRule(rule: RequiredEvidenceRule): string {
  const what = rule.anyOf.map((t) => EVIDENCE_LABELS[t]).join(' or ');
  const age = rule.maxAgeMonths === null ? '' : ` within ${rule.maxAgeMonths} months`;
  return `${what}${age} (${rule.because})`;
}
