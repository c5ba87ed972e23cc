import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { type Actor, SYSTEM_ACTOR } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput } from '../common/errors.ts';
import { isOneOf, SEVERITIES, type Severity } from '../common/vocabulary.ts';
import { slaDueOn } from '../policy/cadence.ts';
import { rememberPerson } from '../roles/people.ts';
import { announceFinding, notifyAssignee, vendorRouting } from './notify.ts';
import { historyLine } from './text.ts';
import { applyFindingTransition, authorize, loadFinding, vendorOwnerOf } from './transition.ts';

// Opening a finding and the everyday steps on it. Each works inside the caller's transaction: a chat
// command opens one per action, seeding and the scheduler batch many.

export interface OpenFindingInput {
  vendorId: number;
  /** Same key, same finding: a repeated signal or sweep never opens a second one. */
  dedupeKey: string;
  source: string;
  title: string;
  detail: string;
  severity: Severity;
}

/**
 * Opens a finding unless one with the same dedupe key exists (whatever its state: a resolved finding
 * stays closed; a fresh occurrence needs a fresh key). Callers check their own permission to record
 * what caused it; this posts the card to the vendor's routing.
 */
export async function openFinding(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: OpenFindingInput,
): Promise<{ finding: FindingRow; created: boolean }> {
  if (!isOneOf(SEVERITIES, input.severity)) throw invalidInput(`Severity must be one of ${SEVERITIES.join(', ')}.`);
  const title = input.title.trim();
  if (!title) throw invalidInput('A finding needs a title.');
  await vendorRouting(tx, input.vendorId);
  const now = deps.clock.now().toISOString();
  const inserted = await tx
    .insertInto('findings')
    .values({
      vendor_id: input.vendorId,
      dedupe_key: input.dedupeKey,
      source: input.source,
      title,
      detail: input.detail,
      severity: input.severity,
      state: 'open',
      opened_at: now,
      sla_due_on: slaDueOn(todayOf(deps), input.severity, deps.policy),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await tx
      .selectFrom('findings')
      .selectAll()
      .where('dedupe_key', '=', input.dedupeKey)
      .executeTakeFirstOrThrow();
    return { finding: existing, created: false };
  }
  const finding = await loadFinding(tx, inserted.id);
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'finding.open',
    entityType: 'finding',
    entityId: finding.id,
    after: finding,
  });
  await announceFinding(tx, deps, finding);
  return { finding, created: true };
}

export async function acknowledge(tx: Tx, deps: CoreDeps, actor: Actor, findingId: number): Promise<FindingRow> {
  const finding = await loadFinding(tx, findingId);
  await authorize(tx, deps, actor, 'finding.triage', await vendorOwnerOf(tx, finding.vendor_id));
  const now = deps.clock.now().toISOString();
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'acknowledge',
    set: { acknowledged_by: actor.id, acknowledged_at: now },
  });
  await announceFinding(tx, deps, after, historyLine.acknowledged(actor.name));
  return after;
}

/** Assigns (or re-assigns) a finding; the assignee gets a direct message. */
export async function assign(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  assignee: Actor,
): Promise<FindingRow> {
  const finding = await loadFinding(tx, findingId);
  await authorize(tx, deps, actor, 'finding.triage', await vendorOwnerOf(tx, finding.vendor_id));
  if (finding.assignee_id === assignee.id && (finding.state === 'assigned' || finding.state === 'escalated')) {
    throw conflict(`Finding #${finding.id} is already assigned to ${assignee.name}.`);
  }
  await rememberPerson(tx, deps.clock, assignee);
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'assign',
    set: { assignee_id: assignee.id },
  });
  await announceFinding(tx, deps, after, historyLine.assigned(assignee.name, actor.name));
  await notifyAssignee(tx, deps, after, actor.name);
  return after;
}

/**
 * An analyst closes a finding with a note saying what was done. Only from states that do not involve
 * an approver (the table says which); a waiting request is never withdrawn by this.
 */
export async function resolve(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  findingId: number,
  input: { note: string },
): Promise<FindingRow> {
  const note = input.note.trim();
  const finding = await loadFinding(tx, findingId);
  await authorize(tx, deps, actor, 'finding.resolve', null);
  if (!note) throw invalidInput('Say how the finding was resolved: a resolution note is required.');
  const after = await applyFindingTransition(tx, deps, actor, finding, {
    action: 'resolve',
    set: { resolved_by: actor.id, resolved_at: deps.clock.now().toISOString(), resolution: note },
    reason: note,
  });
  await announceFinding(tx, deps, after, historyLine.resolved(actor.name, note));
  return after;
}

/**
 * The system reopens a finding whose risk acceptance has run out (the day after `accepted_until`), with
 * a fresh SLA. Returns null, changing nothing, when the finding is not (or no longer) due to reopen.
 */
export async function reopenExpiredAcceptance(tx: Tx, deps: CoreDeps, findingId: number): Promise<FindingRow | null> {
  const finding = await loadFinding(tx, findingId);
  const today = todayOf(deps);
  if (finding.state !== 'risk_accepted' || !finding.accepted_until || finding.accepted_until >= today) return null;
  const reason = `Risk acceptance expired on ${finding.accepted_until}`;
  const after = await applyFindingTransition(tx, deps, SYSTEM_ACTOR, finding, {
    action: 'reopen',
    set: {
      reopened_reason: reason,
      sla_due_on: slaDueOn(today, finding.severity, deps.policy),
    },
    reason,
  });
  await announceFinding(tx, deps, after, historyLine.reopened(reason));
  return after;
}
