import type { DbOrTx, Tx } from '../../store/database.ts';
import type { SignatureRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import { canonicalJson, sha256 } from '../common/canonical.ts';
import type { Clock } from '../common/clock.ts';
import { notFound } from '../common/errors.ts';
import type { SignatureMeaning } from '../common/vocabulary.ts';
import { formatUtc } from '../findings/text.ts';

// Electronic signatures (21 CFR Part 11). §11.50: each shows the signer's printed name, the UTC date
// and time, and its meaning. §11.70: each is bound to the record it signs by the hash of that record's
// canonical JSON at the signed version, so a signature cannot be cut out and moved, and any later edit
// of the record shows up as a mismatch. The signatures table is append-only (database triggers).

/** Signed record types and how to read each back for verification. */
const RECORD_LOADERS = {
  approval_request: (db: DbOrTx, id: number) =>
    db.selectFrom('approval_requests').selectAll().where('id', '=', id).executeTakeFirst(),
  incident_decision: (db: DbOrTx, id: number) =>
    db.selectFrom('incident_decisions').selectAll().where('id', '=', id).executeTakeFirst(),
  activation_request: (db: DbOrTx, id: number) =>
    db.selectFrom('activation_requests').selectAll().where('id', '=', id).executeTakeFirst(),
  offboarding: (db: DbOrTx, id: number) =>
    db.selectFrom('offboardings').selectAll().where('id', '=', id).executeTakeFirst(),
} as const;
export type SignedRecordType = keyof typeof RECORD_LOADERS;

export function recordHash(record: object): string {
  return sha256(canonicalJson(record));
}

export interface SignInput {
  recordType: SignedRecordType;
  /** The record exactly as signed: the full row, read back after the change it approves. */
  record: { id: number; version: number };
  meaning: SignatureMeaning;
  reason: string | null;
}

export async function signRecord(tx: Tx, clock: Clock, signer: Actor, input: SignInput): Promise<SignatureRow> {
  const inserted = await tx
    .insertInto('signatures')
    .values({
      record_type: input.recordType,
      record_id: input.record.id,
      record_version: input.record.version,
      record_hash: recordHash(input.record),
      signer_id: signer.id,
      signer_name: signer.name,
      meaning: input.meaning,
      reason: input.reason,
      signed_at: clock.now().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return tx.selectFrom('signatures').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
}

/** The §11.50 manifestation, for cards, history lines, exports and the audit entry. */
export function manifestation(sig: Pick<SignatureRow, 'signer_name' | 'signed_at' | 'meaning' | 'reason'>): string {
  const reason = sig.reason ? `, reason: ${sig.reason}` : '';
  return `Signed by ${sig.signer_name}, ${formatUtc(sig.signed_at)}, meaning: ${sig.meaning}${reason}`;
}

export type SignatureVerdict =
  | { ok: true; signature: SignatureRow }
  | { ok: false; signature: SignatureRow; problem: string };

/** Recomputes the record's hash and says whether the signed record is still the one that was signed. */
export async function verifySignature(db: DbOrTx, signatureId: number): Promise<SignatureVerdict> {
  const signature = await db.selectFrom('signatures').selectAll().where('id', '=', signatureId).executeTakeFirst();
  if (!signature) throw notFound(`Signature #${signatureId} was not found.`);
  const loader = RECORD_LOADERS[signature.record_type as SignedRecordType];
  if (!loader) return { ok: false, signature, problem: `unknown record type ${signature.record_type}` };
  const record = await loader(db, signature.record_id);
  if (!record) return { ok: false, signature, problem: 'the signed record no longer exists' };
  if (record.version !== signature.record_version) {
    return {
      ok: false,
      signature,
      problem: `the signature applies to version ${signature.record_version}; the record is now at version ${record.version}`,
    };
  }
  if (recordHash(record) !== signature.record_hash) {
    return { ok: false, signature, problem: 'the record was altered after it was signed' };
  }
  return { ok: true, signature };
}

export function signaturesFor(db: DbOrTx, recordType: SignedRecordType, recordId: number): Promise<SignatureRow[]> {
  return db
    .selectFrom('signatures')
    .selectAll()
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('id')
    .execute();
}
