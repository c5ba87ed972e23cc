import type { Tx } from '../../store/database.ts';
import type { EvidenceRow } from '../../store/tables.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { EVIDENCE_LABELS, type EvidenceType } from '../common/vocabulary.ts';
import { closeDerivedFindings } from '../findings/derived.ts';
import { refreshLiveReminders } from '../messaging/live-reminders.ts';
import { syncRequiredEvidenceFinding } from './required-findings.ts';

// A document recorded answers the findings that asked for it: the expiry finding of the document it
// replaces, and the vendor's "required evidence missing" finding, which lists one document less or closes.

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
  // The vendor's required-evidence finding no longer lists what this document provides, or closes.
  await syncRequiredEvidenceFinding(tx, deps, doc.vendor_id, {
    open: false,
    closeReason: `${label} recorded, valid until ${doc.expires_on}`,
  });
}
