import type { Updateable } from 'kysely';
import type { DbOrTx, Tx } from '../../store/database.ts';
import type { FindingRow, FindingTable } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { type Actor, SYSTEM_ACTOR } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, notFound } from '../common/errors.ts';
import type { FindingState } from '../common/vocabulary.ts';
import { rememberPerson } from '../roles/people.ts';
import { type Permission, requirePermission } from '../roles/permissions.ts';
import { canTransition, type FindingAction, nextState } from './states.ts';
import { refusal } from './text.ts';

// One way to change a finding's state: check the table, update only if nobody changed the row since
// we read it (same version, same state), audit before/after in the same transaction. The loser of a
// race or a second click gets the friendly refusal naming who got there first.

export function isSystem(actor: Actor): boolean {
  return actor.id === SYSTEM_ACTOR.id;
}

/** Checks a person's permission inside the transaction; the system's own steps need none. */
export async function authorize(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  permission: Permission,
  vendorOwnerId: string | null,
): Promise<void> {
  if (isSystem(actor)) return;
  await requirePermission(tx, actor, permission, vendorOwnerId);
  await rememberPerson(tx, deps.clock, actor);
}

export async function loadFinding(db: DbOrTx, findingId: number): Promise<FindingRow> {
  const row = await db.selectFrom('findings').selectAll().where('id', '=', findingId).executeTakeFirst();
  if (!row) throw notFound(`Finding #${findingId} was not found.`);
  return row;
}

export async function vendorOwnerOf(db: DbOrTx, vendorId: number): Promise<string | null> {
  const row = await db.selectFrom('vendors').select('owner_id').where('id', '=', vendorId).executeTakeFirst();
  return row?.owner_id ?? null;
}

export interface TransitionInput {
  action: FindingAction;
  /** Columns to set besides state, version and updated_at. */
  set?: Omit<Updateable<FindingTable>, 'id' | 'state' | 'version' | 'updated_at'>;
  /** Only for steps whose target the table cannot know (a rejection goes back where it came from). */
  to?: FindingState;
  reason?: string | null;
}

/** Applies one step to `finding` as read; returns the row as written. */
export async function applyFindingTransition(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  finding: FindingRow,
  input: TransitionInput,
): Promise<FindingRow> {
  const from = finding.state;
  const allowed = canTransition(from, input.action);
  const to = allowed ? (input.to ?? nextState(from, input.action)) : null;
  if (!to) throw await refusal(tx, finding, input.action);
  const changes = { ...input.set, state: to };
  const result = await tx
    .updateTable('findings')
    .set({ ...changes, version: finding.version + 1, updated_at: deps.clock.now().toISOString() })
    .where('id', '=', finding.id)
    .where('version', '=', finding.version)
    .where('state', '=', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const fresh = await loadFinding(tx, finding.id);
    if (canTransition(fresh.state, input.action)) {
      throw conflict(`Finding #${finding.id} changed while you were acting on it. Look at it again and retry.`);
    }
    throw await refusal(tx, fresh, input.action);
  }
  const after = await loadFinding(tx, finding.id);
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, finding[k as keyof FindingRow]]));
  await appendAudit(tx, deps.clock, {
    actor,
    action: `finding.${input.action}`,
    entityType: 'finding',
    entityId: finding.id,
    before: { ...before, version: finding.version },
    after: { ...changes, version: after.version },
    reason: input.reason ?? null,
  });
  return after;
}
