import type { Tx } from '../../store/database.ts';
import type { IncidentRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import { isOneOf, OUR_ROLES, type OurRole, SEVERITIES, type Severity } from '../common/vocabulary.ts';
import { enqueue } from '../messaging/outbox.ts';
import { rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { planClocks } from './clock-rules.ts';
import { refreshIncidentHomes } from './homes.ts';
import { findPlaybook, loadPlaybooks } from './playbooks.ts';
import { announceIncident, isOperator } from './record.ts';

// Declaring an incident is immediate: no approval stands between finding a vendor's database open and
// the clocks that started when we learned of it. One transaction writes the incident, its playbook's
// tasks, its regulatory clocks, its links and the first timeline line, audits it and queues its card.

export interface DeclareInput {
  vendorId: number;
  scenario: string;
  summary: string;
  /** When we became aware; defaults to now. Never in the future. */
  awareAt?: string | null;
  vendorAwareAt?: string | null;
  severity?: Severity | null;
  ourRole?: OurRole | null;
  leadId?: string | null;
  findingIds?: number[];
  signalIds?: number[];
}

export function scenarioNames(): string {
  return [...loadPlaybooks().keys()].join(', ');
}

export function checkInstant(value: string, label: string, now: Date): string {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value.trim())) {
    throw invalidInput(`${label} must be a date and time like 2026-06-01T09:00:00Z, not “${value}”.`);
  }
  if (at.getTime() > now.getTime()) throw invalidInput(`${label} cannot be in the future.`);
  return at.toISOString();
}

export async function declareIncident(tx: Tx, deps: CoreDeps, actor: Actor, input: DeclareInput): Promise<IncidentRow> {
  const vendor = await tx.selectFrom('vendors').selectAll().where('id', '=', input.vendorId).executeTakeFirstOrThrow();
  if (!isOperator(actor)) {
    await requirePermission(tx, actor, 'incident.work', vendor.owner_id);
    await rememberPerson(tx, deps.clock, actor);
  }
  const playbook = findPlaybook(input.scenario);
  if (!playbook) throw invalidInput(`“${input.scenario}” is not a known scenario. Scenarios: ${scenarioNames()}.`);
  const summary = input.summary.trim();
  if (!summary) throw invalidInput('Say in a few words what happened.');
  const now = deps.clock.now();
  const awareAt = input.awareAt ? checkInstant(input.awareAt, 'The awareness time', now) : now.toISOString();
  const vendorAwareAt = input.vendorAwareAt
    ? checkInstant(input.vendorAwareAt, 'The vendor’s awareness time', now)
    : null;
  const severity = input.severity ?? playbook.severity;
  if (!isOneOf(SEVERITIES, severity)) throw invalidInput(`Severity must be one of ${SEVERITIES.join(', ')}.`);
  const ourRole = input.ourRole ?? deps.policy.incidents.ourRole;
  if (!isOneOf(OUR_ROLES, ourRole)) throw invalidInput(`Our role must be one of ${OUR_ROLES.join(', ')}.`);
  const at = now.toISOString();

  const { id } = await tx
    .insertInto('incidents')
    .values({
      vendor_id: vendor.id,
      scenario: playbook.id,
      severity,
      summary,
      our_role: ourRole,
      aware_at: awareAt,
      vendor_aware_at: vendorAwareAt,
      declared_by: actor.id,
      declared_at: at,
      lead_id: input.leadId ?? actor.id,
      state: 'open',
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const incidentId = Number(id);

  let number = 0;
  for (const task of playbook.tasks) {
    number += 1;
    await tx
      .insertInto('incident_tasks')
      .values({ incident_id: incidentId, number, phase: task.phase, title: task.title, role: task.role })
      .execute();
  }
  const clocks = planClocks(
    {
      regulatoryScope: JSON.parse(vendor.regulatory_scope) as string[],
      dataTypes: JSON.parse(vendor.data_types) as string[],
      ourRole,
      awareAt,
      vendorAwareAt,
    },
    deps.policy.incidents,
    deps.timeZone,
  );
  for (const c of clocks) {
    await tx
      .insertInto('incident_clocks')
      .values({
        incident_id: incidentId,
        rule: c.rule,
        regulation: c.regulation,
        recipient: c.recipient,
        starts_at: c.startsAt,
        deadline: c.deadline,
        state: 'running',
      })
      .execute();
  }
  for (const [kind, ids] of [
    ['finding', input.findingIds ?? []],
    ['signal', input.signalIds ?? []],
  ] as const) {
    for (const refId of ids) {
      await tx
        .insertInto('incident_links')
        .values({ incident_id: incidentId, kind, ref_id: refId, linked_at: at })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
  const line = `${actor.name} declared incident #${incidentId} (${playbook.title}): ${summary}. Aware since ${awareAt.slice(0, 16).replace('T', ' ')} UTC; ${clocks.length} regulatory clock${clocks.length === 1 ? '' : 's'} started.`;
  const entry = await tx
    .insertInto('incident_timeline')
    .values({ incident_id: incidentId, at, actor_id: actor.id, actor_name: actor.name, text: line })
    .returning('id')
    .executeTakeFirstOrThrow();
  const incident = await tx.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: 'incident.declare',
    entityType: 'incident',
    entityId: incidentId,
    after: {
      vendor_id: vendor.id,
      scenario: playbook.id,
      severity,
      summary,
      our_role: ourRole,
      aware_at: awareAt,
      lead_id: incident.lead_id,
      clocks: clocks.map((c) => ({ rule: c.rule, deadline: c.deadline })),
      findings: input.findingIds ?? [],
      signals: input.signalIds ?? [],
    },
  });
  await announceIncident(tx, deps, incident, { timelineId: Number(entry.id), text: line });
  await refreshIncidentHomes(tx, deps.clock, incident);
  if (incident.lead_id !== actor.id) {
    await enqueue(tx, deps.clock, {
      key: `incident:${incidentId}:lead:${incident.lead_id}`,
      target: incident.lead_id,
      template: 'incident-card',
      data: { incidentId },
    });
  }
  return incident;
}
