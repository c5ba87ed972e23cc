import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { forbidden, invalidInput } from '../common/errors.ts';
import { samePerson } from '../roles/identity.ts';
import { announceFinding } from './notify.ts';
import { historyLine } from './text.ts';
import { applyFindingTransition, authorize, loadFinding, vendorOwnerOf } from './transition.ts';

// Verified closure: the vendor owner (or an analyst) says what was fixed and the finding waits in
// fix_proposed; an analyst who is not the proposer verifies it (resolved) or sends it back with a
// reason, to the state it was proposed from. This is how findings that carry an approver's decision
// close, so nobody closes their own work unchecked.

/** "Mark fixed": the owner's step; the note says what was done. */
export async function proposeFix(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  input: { note: string },
): Promise<FindingRow> {
  const note = input.note.trim();
  const finding = await loadFinding(tx, findingId);
  await authorize(tx, deps, actor, 'finding.triage', await vendorOwnerOf(tx, finding.vendor_id));
  if (!note) throw invalidInput('Say what was done: an analyst reads it before verifying the fix.');
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'propose_fix',
    set: {
      fix_proposed_by: actor.id,
      fix_proposed_at: deps.clock.now().toISOString(),
      fix_note: note,
      fix_from_state: finding.state,
      fix_returned_reason: null,
    },
    reason: note,
  });
  await announceFinding(tx, deps, after, historyLine.fixProposed(actor.name, note));
  return after;
}

async function checkVerifier(tx: Tx, deps: CoreDeps, actor: Actor, finding: FindingRow, verb: string) {
  await authorize(tx, deps, actor, 'finding.resolve', null);
  if (finding.state === 'fix_proposed' && (await samePerson(tx, finding.fix_proposed_by, actor.id))) {
    throw forbidden(`You marked this fix, so another analyst must ${verb} it. Nothing was changed.`);
  }
}

/** An analyst other than the proposer confirms the fix: the finding is resolved with the proposer's note. */
export async function verifyFix(tx: Tx, deps: CoreDeps, actor: Actor, findingId: number): Promise<FindingRow> {
  const finding = await loadFinding(tx, findingId);
  await checkVerifier(tx, deps, actor, finding, 'verify');
  const note = finding.fix_note ?? '';
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'verify_fix',
    set: { resolved_by: actor.id, resolved_at: deps.clock.now().toISOString(), resolution: note },
    reason: note,
  });
  await announceFinding(tx, deps, after, historyLine.fixVerified(actor.name, note));
  return after;
}

/** An analyst other than the proposer sends the fix back, with a reason, to where it was proposed from. */
export async function returnFix(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  input: { reason: string },
): Promise<FindingRow> {
  const reason = input.reason.trim();
  const finding = await loadFinding(tx, findingId);
  await checkVerifier(tx, deps, actor, finding, 'send back');
  if (!reason) throw invalidInput('Say why the fix is not enough: the owner reads it.');
  const back = finding.fix_from_state ?? 'open';
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'return_fix',
    to: back === 'fix_proposed' || back === 'resolved' ? 'open' : back,
    set: { fix_returned_reason: reason },
    reason,
  });
  await announceFinding(tx, deps, after, historyLine.fixReturned(actor.name, reason));
  return after;
}
