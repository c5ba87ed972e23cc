import type { Tx } from '../../store/database.ts';
import type { IncidentClockRow, IncidentRow } from '../../store/tables.ts';
import { type Actor, SYSTEM_ACTOR } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput, invalidState, notFound } from '../common/errors.ts';
import { openFinding } from '../findings/actions.ts';
import { formatUtc } from '../findings/text.ts';
import { enqueue } from '../messaging/outbox.ts';
import { finalReportDeadline } from './clock-rules.ts';
import { durationText } from './clock-time.ts';
import { checkInstant } from './declare.ts';
import { authorizeIncidentWork, loadIncident, touchIncident } from './record.ts';

// A clock ends met (with when and how), not required (a signed decision: decisions.ts) or missed
// (the deadline passed while it ran: the scheduler escalates to the approvers). The vendor's own
// notice to us is met when the vendor told us; told late, that is a finding against the vendor.

export async function loadClock(tx: Tx, clockId: number): Promise<IncidentClockRow> {
  const clock = await tx.selectFrom('incident_clocks').selectAll().where('id', '=', clockId).executeTakeFirst();
  if (!clock) throw notFound(`Clock #${clockId} was not found.`);
  return clock;
}

export function clockName(clock: Pick<IncidentClockRow, 'regulation' | 'recipient'>): string {
  return `${clock.regulation} → ${clock.recipient}`;
}

async function settle(
  tx: Tx,
  clock: IncidentClockRow,
  set: { state: string; note: string; settled_by: string; settled_at: string },
): Promise<void> {
  const result = await tx
    .updateTable('incident_clocks')
    .set({ ...set, version: clock.version + 1 })
    .where('id', '=', clock.id)
    .where('version', '=', clock.version)
    .where('state', '=', 'running')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(`${clockName(clock)} was settled by someone else just now.`);
}

export interface MetInput {
  /** How it was met: the reference, the portal, the letter. */
  note: string;
  /** When it was met; defaults to now. For the vendor's notice: when the vendor told us. */
  at?: string | null;
}

export async function markClockMet(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  clockId: number,
  input: MetInput,
): Promise<{ incident: IncidentRow; clock: IncidentClockRow; findingId: number | null }> {
  const clock = await loadClock(tx, clockId);
  const incident = await loadIncident(tx, clock.incident_id);
  await authorizeIncidentWork(tx, deps, actor, incident);
  if (clock.state !== 'running') throw invalidState(`${clockName(clock)} is already ${clock.state.replace('_', ' ')}.`);
  const note = input.note.trim();
  if (!note) throw invalidInput('Say how it was met: the reference, the channel, who received it.');
  const now = deps.clock.now();
  const at = input.at ? checkInstant(input.at, 'The time it was met', now) : now.toISOString();
  const late = at > clock.deadline;
  const vendorLate = clock.rule === 'vendor-notice' && late;
  const state = vendorLate ? 'missed' : 'met';
  const lateness = late ? ` (${durationText(Date.parse(at) - Date.parse(clock.deadline))} after the deadline)` : '';
  await settle(tx, clock, { state, note: `${note}${lateness}`, settled_by: actor.id, settled_at: at });

  let findingId: number | null = null;
  if (vendorLate) {
    const vendor = await tx
      .selectFrom('vendors')
      .select('name')
      .where('id', '=', incident.vendor_id)
      .executeTakeFirstOrThrow();
    const { finding } = await openFinding(tx, deps, actor, {
      vendorId: incident.vendor_id,
      dedupeKey: `incident:${incident.id}:vendor-notice-late`,
      source: 'incident',
      title: `${vendor.name} told us of incident #${incident.id} late`,
      detail: `The contract requires notice by ${formatUtc(clock.deadline)}; ${vendor.name} told us at ${formatUtc(at)}${lateness}.`,
      severity: 'high',
    });
    findingId = finding.id;
  }
  if (clock.rule === 'nis2-notification') {
    // The final report counts one month from the notification actually sent.
    await tx
      .updateTable('incident_clocks')
      .set((eb) => ({
        starts_at: at,
        deadline: finalReportDeadline(at, deps.policy.incidents, deps.timeZone),
        version: eb('version', '+', 1),
      }))
      .where('incident_id', '=', incident.id)
      .where('rule', '=', 'nis2-final-report')
      .where('state', '=', 'running')
      .execute();
  }
  const line = vendorLate
    ? `${actor.name} recorded that the vendor told us at ${formatUtc(at)}, after the contractual deadline ${formatUtc(clock.deadline)}${findingId ? `; finding #${findingId} opened against the vendor` : ''}`
    : `${actor.name} recorded ${clockName(clock)} as met at ${formatUtc(at)}${lateness}: ${note}`;
  const after = await touchIncident(tx, deps, actor, incident, {
    action: 'incident.clock_met',
    line,
    entityType: 'incident_clock',
    entityId: clock.id,
    before: { state: 'running', version: clock.version },
    after: { state, at, note, version: clock.version + 1, finding_id: findingId },
    set: clock.rule === 'vendor-notice' ? { vendor_notified_at: at } : undefined,
  });
  return { incident: after, clock: await loadClock(tx, clock.id), findingId };
}

/**
 * The scheduler's step when a running clock's deadline passes: missed, on the timeline and the card,
 * and escalated to the approvers (their channel and each approver directly). The vendor's notice
 * missed is also a finding against the vendor.
 */
export async function missClock(tx: Tx, deps: CoreDeps, clock: IncidentClockRow): Promise<string[]> {
  const incident = await loadIncident(tx, clock.incident_id);
  const now = deps.clock.now().toISOString();
  await settle(tx, clock, {
    state: 'missed',
    note: `Deadline ${formatUtc(clock.deadline)} passed while the clock was running.`,
    settled_by: SYSTEM_ACTOR.id,
    settled_at: now,
  });
  if (clock.rule === 'vendor-notice') {
    const vendor = await tx
      .selectFrom('vendors')
      .select('name')
      .where('id', '=', incident.vendor_id)
      .executeTakeFirstOrThrow();
    await openFinding(tx, deps, SYSTEM_ACTOR, {
      vendorId: incident.vendor_id,
      dedupeKey: `incident:${incident.id}:vendor-notice-late`,
      source: 'incident',
      title: `${vendor.name} did not tell us of incident #${incident.id} in time`,
      detail: `The contract requires notice by ${formatUtc(clock.deadline)}; none was recorded by then.`,
      severity: 'high',
    });
  }
  await touchIncident(tx, deps, SYSTEM_ACTOR, incident, {
    action: 'incident.clock_missed',
    line: `MISSED: ${clockName(clock)}, deadline ${formatUtc(clock.deadline)}. Escalated to the approvers.`,
    entityType: 'incident_clock',
    entityId: clock.id,
    before: { state: 'running', version: clock.version },
    after: { state: 'missed', version: clock.version + 1 },
  });
  const approvers = await tx
    .selectFrom('role_grants')
    .select('principal')
    .where('role', '=', 'approver')
    .orderBy('principal')
    .execute();
  const targets = [...deps.routing.approvalsChannels, ...approvers.map((a) => a.principal)];
  for (const target of targets) {
    await enqueue(tx, deps.clock, {
      key: `incident-clock:${clock.id}:missed@${target}`,
      target,
      template: 'incident-missed',
      data: { clockId: clock.id },
    });
  }
  return targets;
}
