import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict } from '../common/errors.ts';
import { EVIDENCE_LABELS } from '../common/vocabulary.ts';
import { announceFinding } from '../findings/notify.ts';
import { loadFinding } from '../findings/transition.ts';
import type { RequiredEvidenceRule } from '../policy/policy.ts';
import { ruleKey } from './required.ts';
import { type AskedRule, askedRulesOf } from './required-key.ts';

// Rewriting a vendor's required-evidence finding in place when the documents it asks for change: its
// wording and key, audited, with a line on its card saying what changed.

export const namesOf = (rule: RequiredEvidenceRule) => rule.anyOf.map((t) => EVIDENCE_LABELS[t] ?? t).join(' or ');

/** A rule's name from its key, for a rule the policy no longer applies to this vendor. */
function nameOfKey(deps: CoreDeps, key: string): string {
  const rule = deps.policy.requiredEvidence.find((r) => ruleKey(r) === key);
  if (rule) return namesOf(rule);
  return key
    .split('+')
    .map((t) => EVIDENCE_LABELS[t as keyof typeof EVIDENCE_LABELS] ?? t)
    .join(' or ');
}

/** The documents a finding row asks for, each with the day it was first asked for. */
export const askedOf = (row: FindingRow) =>
  askedRulesOf({ dedupeKey: row.dedupe_key, openedOn: row.opened_at.slice(0, 10) }) ?? [];

/** What changed, for the card's thread and the audit: "Now also missing: ...; no longer missing: ...". */
export function change(
  deps: CoreDeps,
  kept: FindingRow,
  rows: readonly FindingRow[],
  asked: readonly AskedRule[],
): string {
  const before = new Set(askedOf(kept).map((a) => a.rule));
  const elsewhere = new Set(rows.filter((r) => r.id !== kept.id).flatMap((r) => askedOf(r).map((a) => a.rule)));
  const now = new Set(asked.map((a) => a.rule));
  const names = (keys: string[]) => keys.map((k) => nameOfKey(deps, k)).join(', ');
  const added = asked.filter((a) => !before.has(a.rule) && !elsewhere.has(a.rule)).map((a) => a.rule);
  const merged = asked.filter((a) => !before.has(a.rule) && elsewhere.has(a.rule)).map((a) => a.rule);
  const gone = [...before].filter((k) => !now.has(k));
  const parts = [
    added.length > 0 ? `Now also missing: ${names(added)}` : '',
    merged.length > 0 ? `Takes over ${names(merged)} from the findings merged into it` : '',
    gone.length > 0 ? `No longer missing: ${names(gone)}` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join('; ') : 'Required evidence still missing: wording updated';
}

/** Rewrites the finding's wording and key in place, audited, and edits its card with a line saying why. */
export async function rewrite(
  tx: Tx,
  deps: CoreDeps,
  finding: FindingRow,
  set: Pick<FindingRow, 'dedupe_key' | 'title' | 'detail'>,
  reason: string,
): Promise<FindingRow> {
  const result = await tx
    .updateTable('findings')
    .set({ ...set, version: finding.version + 1, updated_at: deps.clock.now().toISOString() })
    .where('id', '=', finding.id)
    .where('version', '=', finding.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict(`Finding #${finding.id} changed while it was being updated. It is updated on the next sweep.`);
  }
  const after = await loadFinding(tx, finding.id);
  await appendAudit(tx, deps.clock, {
    actor: SYSTEM_ACTOR,
    action: 'finding.update',
    entityType: 'finding',
    entityId: finding.id,
    before: { dedupe_key: finding.dedupe_key, title: finding.title, detail: finding.detail, version: finding.version },
    after: { ...set, version: after.version },
    reason,
  });
  await announceFinding(tx, deps, after, reason);
  return after;
}
