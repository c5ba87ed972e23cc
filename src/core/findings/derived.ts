import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { withdrawForClosedDerivedItem } from '../approvals/system-withdraw.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import type { FindingState } from '../common/vocabulary.ts';
import { announceFinding } from './notify.ts';
import { canTransition } from './states.ts';
import { historyLine } from './text.ts';
import { applyFindingTransition } from './transition.ts';

// Findings the bot derives from a condition (a reassessment overdue, a document expired or missing,
// the score falling) close themselves when the condition ends, so nobody works or approves a problem
// that is already gone. The closing is the system's, with the reason on the card and in the audit.

/** Resolves one derived finding as the system and withdraws what waited on it. Null when already closed. */
export async function closeDerivedFinding(
  tx: Tx,
  deps: CoreDeps,
  finding: FindingRow,
  reason: string,
): Promise<FindingRow | null> {
  if (!canTransition(finding.state as FindingState, 'resolve')) return null;
  const after = await applyFindingTransition(tx, deps, SYSTEM_ACTOR, finding, {
    action: 'resolve',
    set: { resolved_by: SYSTEM_ACTOR.id, resolved_at: deps.clock.now().toISOString(), resolution: reason },
    reason,
  });
  await withdrawForClosedDerivedItem(tx, deps, finding.id, reason);
  await announceFinding(tx, deps, after, historyLine.resolved(SYSTEM_ACTOR.name, reason));
  return after;
}

/** Closes the vendor's unresolved findings whose dedupe key matches; returns those closed. */
export async function closeDerivedFindings(
  tx: Tx,
  deps: CoreDeps,
  vendorId: number,
  matches: (dedupeKey: string) => boolean,
  reason: string,
): Promise<FindingRow[]> {
  const rows = await tx
    .selectFrom('findings')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('state', '!=', 'resolved')
    .orderBy('id')
    .execute();
  const closed: FindingRow[] = [];
  for (const row of rows) {
    if (!matches(row.dedupe_key)) continue;
    const after = await closeDerivedFinding(tx, deps, row, reason);
    if (after) closed.push(after);
  }
  return closed;
}
