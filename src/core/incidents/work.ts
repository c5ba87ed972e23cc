import type { Tx } from '../../store/database.ts';
import type { IncidentRow, IncidentTaskRow } from '../../store/tables.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, invalidInput, invalidState, notFound } from '../common/errors.ts';
import { formatUtc } from '../findings/text.ts';
import { displayName } from '../roles/people.ts';
import { planClocks } from './clock-rules.ts';
import { checkInstant } from './declare.ts';
import { authorizeIncidentWork, loadIncident, touchIncident } from './record.ts';

// Working an incident: playbook tasks done and assigned, the lead handed over, the state moved on,
// and the awareness time corrected (with a reason, since every clock counts from it).

export const STATE_LABELS: Record<string, string> = {
  open: 'Open',
  contained: 'Contained',
  notifications_done: 'Notifications done',
  closed: 'Closed',
};

async function activeIncident(tx: Tx, deps: CoreDeps, actor: Actor, incidentId: number): Promise<IncidentRow> {
  const incident = await loadIncident(tx, incidentId);
  if (incident.state === 'closed') throw invalidState(`Incident #${incident.id} is closed.`);
  await authorizeIncidentWork(tx, deps, actor, incident);
  return incident;
}

async function loadTask(tx: Tx, incidentId: number, number: number): Promise<IncidentTaskRow> {
  const task = await tx
    .selectFrom('incident_tasks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!task) throw notFound(`Incident #${incidentId} has no task T${number}.`);
  return task;
}

export async function completeTask(tx: Tx, deps: CoreDeps, actor: Actor, incidentId: number, number: number) {
  const incident = await activeIncident(tx, deps, actor, incidentId);
  const task = await loadTask(tx, incidentId, number);
  if (task.done_at) {
    const by = await displayName(tx, task.done_by);
    throw conflict(`T${number} was already done by ${by} at ${formatUtc(task.done_at)}.`);
  }
  const now = deps.clock.now().toISOString();
  const updated = await tx
    .updateTable('incident_tasks')
    .set({ done_by: actor.id, done_at: now, version: task.version + 1 })
    .where('id', '=', task.id)
    .where('version', '=', task.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw conflict(`T${number} changed while you were acting on it.`);
  return touchIncident(tx, deps, actor, incident, {
    action: 'incident.task_done',
    line: `${actor.name} completed T${number} (${task.phase}): ${task.title}`,
    entityType: 'incident_task',
    entityId: task.id,
    before: { done_at: null, version: task.version },
    after: { done_by: actor.id, done_at: now, version: task.version + 1 },
  });
}

export async function assignTask(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incidentId: number,
  number: number,
  assignee: Actor,
) {
  const incident = await activeIncident(tx, deps, actor, incidentId);
  const task = await loadTask(tx, incidentId, number);
  if (task.done_at) throw invalidState(`T${number} is already done.`);
  await tx
    .updateTable('incident_tasks')
    .set({ assignee_id: assignee.id, version: task.version + 1 })
    .where('id', '=', task.id)
    .where('version', '=', task.version)
    .executeTakeFirst();
  return touchIncident(tx, deps, actor, incident, {
    action: 'incident.task_assign',
    line: `${actor.name} assigned T${number} to ${assignee.name}: ${task.title}`,
    entityType: 'incident_task',
    entityId: task.id,
    before: { assignee_id: task.assignee_id, version: task.version },
    after: { assignee_id: assignee.id, version: task.version + 1 },
    formerly: [task.assignee_id],
  });
}

export async function setLead(tx: Tx, deps: CoreDeps, actor: Actor, incidentId: number, lead: Actor) {
  const incident = await activeIncident(tx, deps, actor, incidentId);
  return touchIncident(tx, deps, actor, incident, {
    action: 'incident.lead',
    line: `${actor.name} made ${lead.name} the incident lead`,
    set: { lead_id: lead.id },
    before: { lead_id: incident.lead_id, version: incident.version },
    after: { lead_id: lead.id, version: incident.version + 1 },
  });
}

/** open → contained → notifications_done; closing is a signed decision (decisions.ts). */
export async function advanceIncident(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incidentId: number,
  to: 'contained' | 'notifications_done',
) {
  const incident = await activeIncident(tx, deps, actor, incidentId);
  const from = to === 'contained' ? 'open' : 'contained';
  if (incident.state !== from) {
    throw invalidState(
      `Incident #${incident.id} is ${STATE_LABELS[incident.state]?.toLowerCase()}, not ${STATE_LABELS[from]?.toLowerCase()}.`,
    );
  }
  if (to === 'notifications_done') {
    const running = await tx
      .selectFrom('incident_clocks')
      .select(['regulation', 'recipient'])
      .where('incident_id', '=', incidentId)
      .where('state', '=', 'running')
      .execute();
    if (running.length > 0) {
      const names = running.map((c) => `${c.regulation} (${c.recipient})`).join(', ');
      throw invalidState(`These clocks are still running: ${names}. Record each as met or not required first.`);
    }
  }
  return touchIncident(tx, deps, actor, incident, {
    action: `incident.${to}`,
    line: `${actor.name} marked the incident ${STATE_LABELS[to]?.toLowerCase()}`,
    set: { state: to },
    fromStates: [from],
    before: { state: from, version: incident.version },
    after: { state: to, version: incident.version + 1 },
  });
}

/**
 * Corrects when we became aware. Every clock still running is counted again from the new time;
 * settled clocks keep what was recorded. The reason is kept in the audit entry and the timeline.
 */
export async function changeAwareAt(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incidentId: number,
  input: { awareAt: string; reason: string },
) {
  const incident = await activeIncident(tx, deps, actor, incidentId);
  const reason = input.reason.trim();
  if (!reason) throw invalidInput('Say why the awareness time changes: every clock counts from it.');
  const awareAt = checkInstant(input.awareAt, 'The awareness time', deps.clock.now());
  const vendor = await tx
    .selectFrom('vendors')
    .selectAll()
    .where('id', '=', incident.vendor_id)
    .executeTakeFirstOrThrow();
  const planned = planClocks(
    {
      regulatoryScope: JSON.parse(vendor.regulatory_scope) as string[],
      dataTypes: JSON.parse(vendor.data_types) as string[],
      ourRole: incident.our_role as 'controller' | 'processor',
      awareAt,
      vendorAwareAt: incident.vendor_aware_at,
    },
    deps.policy.incidents,
    deps.timeZone,
  );
  for (const c of planned) {
    await tx
      .updateTable('incident_clocks')
      .set((eb) => ({ starts_at: c.startsAt, deadline: c.deadline, version: eb('version', '+', 1) }))
      .where('incident_id', '=', incidentId)
      .where('rule', '=', c.rule)
      .where('state', '=', 'running')
      .execute();
  }
  return touchIncident(tx, deps, actor, incident, {
    action: 'incident.aware_at',
    line: `${actor.name} changed the awareness time from ${formatUtc(incident.aware_at)} to ${formatUtc(awareAt)}: ${reason}`,
    set: { aware_at: awareAt },
    before: { aware_at: incident.aware_at, version: incident.version },
    after: { aware_at: awareAt, version: incident.version + 1 },
    reason,
  });
}
