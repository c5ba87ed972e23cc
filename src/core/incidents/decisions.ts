import type { DbOrTx, Tx } from '../../store/database.ts';
import type { IncidentDecisionRow, IncidentRow, SignatureRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { manifestation, signRecord } from '../audit/signatures.ts';
import type { Actor } from '../common/actor.ts';
import { isIsoDate } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, forbidden, invalidInput, invalidState, notFound } from '../common/errors.ts';
import { EVIDENCE_TYPES, type EvidenceType, isOneOf, TIERS, type Tier } from '../common/vocabulary.ts';
import { rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { clockName, loadClock } from './clocks.ts';
import { authorizeIncidentWork, loadIncident, touchIncident } from './record.ts';
import { applyReview } from './review.ts';

// Decisions an approver signs: "this clock's notification is not required" and "close the incident,
// with this post-incident review". Someone working the incident asks; another person, an approver,
// signs (same rules as approvals: printed name, UTC time, meaning, bound to the decision's hash).

export interface Review {
  lessons: string;
  /** Each becomes a finding against the vendor. */
  followUps: string[];
  /** The vendor's tier from now on, or null to keep it. */
  tier: Tier | null;
  /** The vendor's next review date, or null to keep it (the cadence change). */
  nextReviewOn: string | null;
  /** Evidence to obtain again after the incident: each becomes a finding. */
  evidence: EvidenceType[];
}

export function checkReview(input: Partial<Review>): Review {
  const lessons = (input.lessons ?? '').trim();
  if (!lessons) throw invalidInput('Write down the lessons learned: the review needs them.');
  const tier = input.tier ?? null;
  if (tier !== null && !isOneOf(TIERS, tier)) throw invalidInput(`Tier must be one of ${TIERS.join(', ')}.`);
  const nextReviewOn = input.nextReviewOn?.trim() || null;
  if (nextReviewOn !== null && !isIsoDate(nextReviewOn))
    throw invalidInput('The next review must be a date like 2026-09-30.');
  const evidence = input.evidence ?? [];
  for (const e of evidence) if (!isOneOf(EVIDENCE_TYPES, e)) throw invalidInput(`Unknown evidence type ${e}.`);
  const followUps = (input.followUps ?? []).map((f) => f.trim()).filter(Boolean);
  return { lessons, followUps, tier, nextReviewOn, evidence };
}

async function pendingFor(tx: Tx, incidentId: number, clockId: number | null) {
  let q = tx
    .selectFrom('incident_decisions')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('state', '=', 'pending');
  q = clockId === null ? q.where('clock_id', 'is', null) : q.where('clock_id', '=', clockId);
  return q.executeTakeFirst();
}

async function insertDecision(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incident: IncidentRow,
  values: { kind: string; clock_id: number | null; reason: string; review: string | null },
  line: string,
): Promise<{ incident: IncidentRow; decision: IncidentDecisionRow }> {
  const { id } = await tx
    .insertInto('incident_decisions')
    .values({
      ...values,
      incident_id: incident.id,
      requested_by: actor.id,
      requested_at: deps.clock.now().toISOString(),
      state: 'pending',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const decision = await loadDecision(tx, Number(id));
  const after = await touchIncident(tx, deps, actor, incident, {
    action: `incident.decision_requested`,
    line: `${line} (decision D${decision.id}, waiting for an approver's signature)`,
    entityType: 'incident_decision',
    entityId: decision.id,
    before: null,
    after: { ...values, state: 'pending' },
    reason: values.reason,
  });
  return { incident: after, decision };
}

export async function loadDecision(tx: DbOrTx, id: number): Promise<IncidentDecisionRow> {
  const row = await tx.selectFrom('incident_decisions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Decision D${id} was not found.`);
  return row;
}

export async function requestNotRequired(tx: Tx, deps: CoreDeps, actor: Actor, clockId: number, reason: string) {
  const clock = await loadClock(tx, clockId);
  const incident = await loadIncident(tx, clock.incident_id);
  await authorizeIncidentWork(tx, deps, actor, incident);
  if (clock.state !== 'running') throw invalidState(`${clockName(clock)} is already ${clock.state.replace('_', ' ')}.`);
  const why = reason.trim();
  if (!why) throw invalidInput('Say why this notification is not required: the regulator may ask.');
  if (await pendingFor(tx, incident.id, clock.id)) throw conflict(`${clockName(clock)} already waits for a signature.`);
  return insertDecision(
    tx,
    deps,
    actor,
    incident,
    { kind: 'clock_not_required', clock_id: clock.id, reason: why, review: null },
    `${actor.name} proposed that ${clockName(clock)} is not required: ${why}`,
  );
}

export async function requestClosure(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incidentId: number,
  review: Partial<Review>,
) {
  const incident = await loadIncident(tx, incidentId);
  await authorizeIncidentWork(tx, deps, actor, incident);
  if (incident.state !== 'notifications_done') {
    throw invalidState(`Incident #${incident.id} can be closed once its notifications are done.`);
  }
  const checked = checkReview(review);
  if (await pendingFor(tx, incident.id, null))
    throw conflict(`Closing incident #${incident.id} already waits for a signature.`);
  return insertDecision(
    tx,
    deps,
    actor,
    incident,
    { kind: 'closure', clock_id: null, reason: checked.lessons, review: JSON.stringify(checked) },
    `${actor.name} asked to close the incident with the post-incident review: ${checked.lessons}`,
  );
}

/**
 * Whether `signer` may sign this decision now: an approver other than the person who asked, while it
 * is pending. Asked before the signing confirmation opens (and its PIN is checked), and again when
 * the decision is signed.
 */
export async function assertMaySign(db: DbOrTx, signer: Actor, decision: IncidentDecisionRow): Promise<void> {
  if (signer.id === 'system') throw forbidden('Only a person can sign a decision; the bot never approves.');
  await requirePermission(db, signer, 'approval.decide');
  if (decision.requested_by === signer.id) {
    throw forbidden('You asked for this decision, so another approver must sign it. Nothing was changed.');
  }
  if (decision.state !== 'pending') throw conflict(`Decision D${decision.id} was already signed.`);
}

/**
 * The one place an incident decision is signed: the approver's check, the four-eyes rule, the
 * signature bound to the decision as signed. Whatever a signature must also prove (a signing PIN)
 * is added here.
 */
export async function signIncidentDecision(
  tx: Tx,
  deps: CoreDeps,
  signer: Actor,
  decision: IncidentDecisionRow,
): Promise<{ decision: IncidentDecisionRow; signature: SignatureRow }> {
  await assertMaySign(tx, signer, decision);
  await rememberPerson(tx, deps.clock, signer);
  const now = deps.clock.now().toISOString();
  const result = await tx
    .updateTable('incident_decisions')
    .set({ state: 'signed', signed_by: signer.id, signed_at: now, version: decision.version + 1 })
    .where('id', '=', decision.id)
    .where('version', '=', decision.version)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`Decision D${decision.id} was already signed.`);
  const signed = await loadDecision(tx, decision.id);
  const signature = await signRecord(tx, deps.clock, signer, {
    recordType: 'incident_decision',
    record: signed,
    meaning: 'approval',
    reason: signed.reason,
  });
  return { decision: signed, signature };
}

export async function signDecision(tx: Tx, deps: CoreDeps, signer: Actor, decisionId: number) {
  const pending = await loadDecision(tx, decisionId);
  const incident = await loadIncident(tx, pending.incident_id);
  const { decision, signature } = await signIncidentDecision(tx, deps, signer, pending);
  const signedLine = manifestation(signature);
  const audit = {
    before: { state: 'pending', version: pending.version },
    after: { state: 'signed', version: decision.version, signature_id: signature.id, manifestation: signedLine },
  };
  if (decision.kind === 'clock_not_required' && decision.clock_id !== null) {
    const clock = await loadClock(tx, decision.clock_id);
    if (clock.state !== 'running')
      throw invalidState(`${clockName(clock)} is already ${clock.state.replace('_', ' ')}.`);
    await tx
      .updateTable('incident_clocks')
      .set({
        state: 'not_required',
        note: decision.reason,
        settled_by: signer.id,
        settled_at: decision.signed_at,
        version: clock.version + 1,
      })
      .where('id', '=', clock.id)
      .where('version', '=', clock.version)
      .execute();
    const after = await touchIncident(tx, deps, signer, incident, {
      action: 'incident.decision_signed',
      line: `${clockName(clock)}: not required. ${signedLine}`,
      entityType: 'incident_decision',
      entityId: decision.id,
      reason: decision.reason,
      ...audit,
    });
    return { incident: after, decision, signature };
  }
  if (incident.state !== 'notifications_done')
    throw invalidState(`Incident #${incident.id} is no longer ready to close.`);
  const review = JSON.parse(decision.review ?? '{}') as Review;
  const applied = await applyReview(tx, deps, signer, incident, review);
  const after = await touchIncident(tx, deps, signer, incident, {
    action: 'incident.close',
    line: `Incident closed after review (${applied.summary}). ${signedLine}`,
    set: { state: 'closed', closed_at: decision.signed_at, review: JSON.stringify({ ...review, applied }) },
    fromStates: ['notifications_done'],
    entityType: 'incident_decision',
    entityId: decision.id,
    reason: decision.reason,
    ...audit,
  });
  await appendAudit(tx, deps.clock, {
    actor: signer,
    action: 'incident.closed',
    entityType: 'incident',
    entityId: incident.id,
    before: { state: incident.state },
    after: { state: 'closed', decision_id: decision.id, applied },
  });
  return { incident: after, decision, signature };
}
