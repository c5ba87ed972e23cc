import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { EVIDENCE_LABELS } from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';
import type { RequiredEvidenceRule } from '../policy/policy.ts';
import { describeRule, requiredEvidenceOf, requiredEvidenceRules, ruleKey } from './required.ts';

// One finding per required document a vendor does not hold, opened once: its key names the vendor and
// the rule, so a daily sweep never opens a second one. A document that is there but expired is left to
// its expiry finding, so the same gap is never reported twice.

export const REQUIRED_EVIDENCE_SOURCE = 'required_evidence';

export const requiredEvidenceKey = (vendorId: number, rule: RequiredEvidenceRule) =>
  `required-evidence:${vendorId}:${ruleKey(rule)}`;

/** The missing rules of a vendor that call for a finding of their own (no document of the kind expired). */
export async function rulesNeedingFinding(tx: Tx, deps: CoreDeps, vendorId: number): Promise<RequiredEvidenceRule[]> {
  const vendor = await tx.selectFrom('vendors').selectAll().where('id', '=', vendorId).executeTakeFirst();
  if (!vendor || (vendor.status !== 'onboarding' && vendor.status !== 'active')) return [];
  const rows = await tx.selectFrom('evidence').selectAll().where('vendor_id', '=', vendorId).execute();
  const today = todayOf(deps);
  return requiredEvidenceOf(requiredEvidenceRules(deps.policy, vendor), rows, today)
    .filter((r) => r.satisfiedBy === null)
    .map((r) => r.rule)
    .filter((rule) => {
      const expiredKinds = rule.anyOf.filter((t) => {
        const ofType = rows.filter((row) => row.type === t);
        return ofType.length > 0 && ofType.every((row) => row.expires_on <= today);
      });
      return expiredKinds.length === 0;
    });
}

/** Opens the finding for each missing required document of the vendor; returns those opened now. */
export async function openRequiredEvidenceFindings(tx: Tx, deps: CoreDeps, vendorId: number): Promise<FindingRow[]> {
  const rules = await rulesNeedingFinding(tx, deps, vendorId);
  if (rules.length === 0) return [];
  const vendor = await tx.selectFrom('vendors').select(['name']).where('id', '=', vendorId).executeTakeFirstOrThrow();
  const opened: FindingRow[] = [];
  for (const rule of rules) {
    const names = rule.anyOf.map((t) => EVIDENCE_LABELS[t] ?? t).join(' or ');
    const { finding, created } = await openFinding(tx, deps, SYSTEM_ACTOR, {
      vendorId,
      dedupeKey: requiredEvidenceKey(vendorId, rule),
      source: REQUIRED_EVIDENCE_SOURCE,
      title: `${vendor.name}: required evidence missing: ${names}`,
      detail:
        `Policy requires ${describeRule(rule)}, and none that counts is on record for ${vendor.name}. ` +
        'Ask the vendor for it and record it with the `evidence` command; this finding closes itself when it is recorded.',
      severity: 'high',
    });
    if (created) opened.push(finding);
  }
  return opened;
}
