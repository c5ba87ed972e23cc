import type { DbOrTx, Tx } from '../../store/database.ts';
import type { EvidenceRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import { requireIsoDate } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { EVIDENCE_LABELS, EVIDENCE_TYPES, type EvidenceType } from '../common/vocabulary.ts';
import { refreshOwnerHome } from '../messaging/home-refresh.ts';
import { loadVendor } from '../vendors/patch.ts';

// Evidence a vendor has shown us (SOC 2 report, ISO certificate, BAA, ...), one row per document and
// expiry date. Recording the same document again is a no-op, so re-running an import is safe. No role is
// checked here: the chat command checks `evidence.write` (owner counts) in the same transaction.

export interface EvidenceInput {
  vendorId: number;
  type: string;
  expiresOn: string;
  issuedOn?: string | null;
  url?: string | null;
}

export type EvidenceOutcome = 'created' | 'updated' | 'unchanged';

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Accepts the stored key or the printed name, ignoring case and punctuation: "soc2_type2", "SOC 2 Type II". */
export function parseEvidenceType(value: string): EvidenceType {
  const found = EVIDENCE_TYPES.find((t) => squash(t) === squash(value) || squash(EVIDENCE_LABELS[t]) === squash(value));
  if (!found) {
    throw invalidInput(
      `Evidence type must be one of ${EVIDENCE_TYPES.map((t) => EVIDENCE_LABELS[t]).join(', ')}; “${value.trim()}” is not.`,
    );
  }
  return found;
}

function parseUrl(value: string | null | undefined): string | null {
  const v = value?.trim() ?? '';
  if (!v) return null;
  if (!/^https?:\/\/\S+$/i.test(v)) throw invalidInput(`The evidence link must start with https://, not “${v}”.`);
  return v;
}

export async function recordEvidence(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: EvidenceInput,
): Promise<{ evidence: EvidenceRow; outcome: EvidenceOutcome }> {
  const type = parseEvidenceType(input.type);
  const expiresOn = requireIsoDate(input.expiresOn, 'The expiry date');
  const issuedOn = input.issuedOn?.trim() ? requireIsoDate(input.issuedOn, 'The issue date') : null;
  if (issuedOn && issuedOn > expiresOn) {
    throw invalidInput(`The ${EVIDENCE_LABELS[type]} cannot expire (${expiresOn}) before it was issued (${issuedOn}).`);
  }
  const url = parseUrl(input.url);
  await loadVendor(tx, input.vendorId);
  const now = deps.clock.now().toISOString();
  const existing = await tx
    .selectFrom('evidence')
    .selectAll()
    .where('vendor_id', '=', input.vendorId)
    .where('type', '=', type)
    .where('expires_on', '=', expiresOn)
    .executeTakeFirst();
  if (existing && existing.issued_on === (issuedOn ?? existing.issued_on) && existing.url === (url ?? existing.url)) {
    return { evidence: existing, outcome: 'unchanged' };
  }
  const evidence = existing
    ? await tx
        .updateTable('evidence')
        .set({
          issued_on: issuedOn ?? existing.issued_on,
          url: url ?? existing.url,
          recorded_by: actor.id,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await tx
        .insertInto('evidence')
        .values({
          vendor_id: input.vendorId,
          type,
          issued_on: issuedOn,
          expires_on: expiresOn,
          url,
          recorded_by: actor.id,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
  const view = (e: EvidenceRow) => ({
    vendor_id: e.vendor_id,
    type: e.type,
    issued_on: e.issued_on,
    expires_on: e.expires_on,
    url: e.url,
  });
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'evidence.record',
    entityType: 'evidence',
    entityId: evidence.id,
    before: existing ? view(existing) : undefined,
    after: view(evidence),
  });
  await closeFindingsTheDocumentAnswers(tx, deps, evidence);
  await refreshOwnerHome(tx, deps.clock, evidence.vendor_id);
  return { evidence, outcome: existing ? 'updated' : 'created' };
}

export async function listEvidence(db: DbOrTx, vendorId: number): Promise<EvidenceRow[]> {
  return db
    .selectFrom('evidence')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .orderBy('type')
    .orderBy('expires_on', 'desc')
    .execute();
}

import { closeFindingsTheDocumentAnswers } from './renewal.ts';

export { type DueEvidence, type EvidenceStatus, evidenceStatus, listEvidenceDue } from './status.ts';
