import type { Tx } from '../../store/database.ts';
import type { EvidenceRow } from '../../store/tables.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { EVIDENCE_LABELS, type EvidenceType } from '../common/vocabulary.ts';
import { closeDerivedFindings } from '../findings/derived.ts';
import { refreshLiveReminders } from '../messaging/live-reminders.ts';
import { requiredEvidenceOf, requiredEvidenceRules, ruleKey } from './required.ts';

// A document recorded answers the findings that asked for it: the expiry finding of the document it
// replaces, and the "required evidence missing" finding of each rule it now satisfies.

export async function closeFindingsTheDocumentAnswers(tx: Tx, deps: CoreDeps, doc: EvidenceRow): Promise<void> {
  const today = todayOf(deps);
  if (doc.expires_on <= today) return;
  // A reminder about the lapsing document now says it was renewed.
  await refreshLiveReminders(tx, deps, doc.vendor_id, `renewed-${doc.id}`);
  const label = EVIDENCE_LABELS[doc.type as EvidenceType] ?? doc.type;
  const replaced = await tx
    .selectFrom('evidence')
    .select('id')
    .where('vendor_id', '=', doc.vendor_id)
    .where('type', '=', doc.type)
    .where('expires_on', '<', doc.expires_on)
    .execute();
  const replacedKeys = new Set(replaced.flatMap((r) => [`evidence-expired:${r.id}`, `evidence:${r.id}:expired`]));
  const reason = `${label} renewed: valid until ${doc.expires_on}`;
  if (replacedKeys.size > 0) await closeDerivedFindings(tx, deps, doc.vendor_id, (k) => replacedKeys.has(k), reason);
  const vendor = await tx.selectFrom('vendors').selectAll().where('id', '=', doc.vendor_id).executeTakeFirstOrThrow();
  const rows = await tx.selectFrom('evidence').selectAll().where('vendor_id', '=', doc.vendor_id).execute();
  const satisfied = requiredEvidenceOf(requiredEvidenceRules(deps.policy, vendor), rows, today)
    .filter((r) => r.satisfiedBy !== null && (r.rule.anyOf as readonly string[]).includes(doc.type))
    .map((r) => `required-evidence:${doc.vendor_id}:${ruleKey(r.rule)}`);
  if (satisfied.length === 0) return;
  const keys = new Set(satisfied);
  await closeDerivedFindings(
    tx,
    deps,
    doc.vendor_id,
    (k) => keys.has(k),
    `${label} recorded, valid until ${doc.expires_on}`,
  );
}
