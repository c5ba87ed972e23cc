import type { Tx } from '../../store/database.ts';
import type { SignatureRow } from '../../store/tables.ts';
import { type SignedRecordType, signRecord } from '../audit/signatures.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { forbidden } from '../common/errors.ts';
import type { SignatureMeaning } from '../common/vocabulary.ts';
import { isSystem } from '../findings/transition.ts';

// The one place lifecycle decisions are signed (activation approvals and rejections, offboarding
// sign-offs), so a second signature component (a signing PIN) is added here once for all of them.

export async function signLifecycleDecision(
  tx: Tx,
  deps: CoreDeps,
  signer: Actor,
  input: {
    recordType: SignedRecordType;
    record: { id: number; version: number };
    meaning: SignatureMeaning;
    reason: string | null;
  },
): Promise<SignatureRow> {
  if (isSystem(signer)) throw forbidden('Only a person can sign; the bot never approves.');
  return signRecord(tx, deps.clock, signer, input);
}

/**
 * Four eyes: the person who asked may not decide. The same rule as escalations (decide.ts), kept in
 * one function so a person-level comparison (one person across Slack and Teams) applies here too.
 */
export function sameDecider(requestedBy: string, actor: Actor): boolean {
  return requestedBy === actor.id;
}
