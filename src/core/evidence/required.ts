import type { DbOrTx } from '../../store/database.ts';
import type { EvidenceRow, VendorRow } from '../../store/tables.ts';
import { addMonthsIso } from '../common/dates.ts';
import { EVIDENCE_LABELS, EVIDENCE_TYPES, isOneOf, TIERS } from '../common/vocabulary.ts';
import type { Policy, RequiredEvidenceRule } from '../policy/policy.ts';
import { readList } from '../vendors/input.ts';

// Which documents a vendor must hold, from the policy's rules (PHI needs a BAA, GDPR scope a DPA, ...),
// and which of them it holds now. The posture deducts for each rule left unsatisfied and a finding asks
// for the document once; both read these functions, so they can never disagree.

export interface RequiredEvidence {
  rule: RequiredEvidenceRule;
  /** the evidence row that satisfies it, if any */
  satisfiedBy: EvidenceRow | null;
}

function listOf(stored: string): string[] {
  try {
    return readList(stored);
  } catch {
    return [];
  }
}

/** The rules that apply to this vendor, in policy order. Pure. */
export function requiredEvidenceRules(
  policy: Policy,
  vendor: Pick<VendorRow, 'tier' | 'data_types' | 'regulatory_scope'>,
): RequiredEvidenceRule[] {
  const dataTypes = listOf(vendor.data_types);
  const scope = listOf(vendor.regulatory_scope).map((r) => r.toLowerCase());
  return policy.requiredEvidence.filter(({ when }) => {
    if (when.dataType !== undefined && !dataTypes.includes(when.dataType)) return false;
    if (when.regulation !== undefined && !scope.includes(when.regulation.toLowerCase())) return false;
    if (when.tiers !== undefined && !(when.tiers as readonly string[]).includes(vendor.tier)) return false;
    return true;
  });
}

/**
 * Pure: for each rule, the document that satisfies it on `today` (not expired, issued recently enough), the
 * one expiring last when several do. The expiry day itself no longer counts, as in the evidence status.
 */
export function requiredEvidenceOf(
  rules: readonly RequiredEvidenceRule[],
  rows: readonly Pick<EvidenceRow, 'type' | 'issued_on' | 'expires_on'>[],
  today: string,
): { rule: RequiredEvidenceRule; satisfiedBy: (typeof rows)[number] | null }[] {
  return rules.map((rule) => {
    const issuedSince = rule.maxAgeMonths === null ? null : addMonthsIso(today, -rule.maxAgeMonths);
    let best: (typeof rows)[number] | null = null;
    for (const row of rows) {
      if (!(rule.anyOf as readonly string[]).includes(row.type) || row.expires_on <= today) continue;
      // A document without an issue date is judged by its expiry alone.
      if (issuedSince !== null && row.issued_on !== null && row.issued_on < issuedSince) continue;
      if (best === null || row.expires_on > best.expires_on) best = row;
    }
    return { rule, satisfiedBy: best };
  });
}

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/** Each applicable rule with the current (unexpired at `now`, young enough) evidence that satisfies it, or null. */
export async function requiredEvidenceStatus(
  db: DbOrTx,
  policy: Policy,
  vendor: VendorRow,
  now: Date,
): Promise<RequiredEvidence[]> {
  const rules = requiredEvidenceRules(policy, vendor);
  if (rules.length === 0) return [];
  const rows = await db.selectFrom('evidence').selectAll().where('vendor_id', '=', vendor.id).execute();
  return requiredEvidenceOf(rules, rows, dayOf(now)) as RequiredEvidence[];
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
  const names = rule.anyOf.map((t) => EVIDENCE_LABELS[t] ?? t).join(' or ');
  const age = rule.maxAgeMonths === null ? '' : ` within ${rule.maxAgeMonths} months`;
  return `${names}${age} (${rule.because})`;
}

/** A stable name for a rule, used in the dedupe key of the one finding that asks for its document. */
export function ruleKey(rule: RequiredEvidenceRule): string {
  return [...rule.anyOf].sort().join('+');
}

/** Checks rules read from a policy file: known evidence types and tiers, a reason for people. */
export function parseRequiredEvidenceRules(value: unknown, path: string): RequiredEvidenceRule[] {
  if (!Array.isArray(value)) throw new Error(`${path} must be a list of rules`);
  return value.map((raw, i) => {
    const at = `${path}[${i}]`;
    const r = raw as Partial<RequiredEvidenceRule> | null;
    if (typeof r !== 'object' || r === null) throw new Error(`${at} must be a mapping`);
    const when = (r.when ?? {}) as RequiredEvidenceRule['when'];
    if (!Array.isArray(r.anyOf) || r.anyOf.length === 0 || !r.anyOf.every((t) => isOneOf(EVIDENCE_TYPES, t))) {
      throw new Error(`${at}.anyOf must list evidence types among ${EVIDENCE_TYPES.join(', ')}`);
    }
    if (when.tiers !== undefined && !(Array.isArray(when.tiers) && when.tiers.every((t) => isOneOf(TIERS, t)))) {
      throw new Error(`${at}.when.tiers must list tiers among ${TIERS.join(', ')}`);
    }
    const maxAge = r.maxAgeMonths ?? null;
    if (maxAge !== null && (typeof maxAge !== 'number' || maxAge <= 0)) {
      throw new Error(`${at}.maxAgeMonths must be a positive number or null`);
    }
    if (typeof r.because !== 'string' || !r.because.trim()) throw new Error(`${at}.because must say why`);
    return { when, anyOf: r.anyOf, maxAgeMonths: maxAge, because: r.because };
  });
}
