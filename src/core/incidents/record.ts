import type { DbOrTx, Tx } from '../../store/database.ts';
import type { IncidentRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict, notFound } from '../common/errors.ts';
import { findingTargets, subjectTargets } from '../findings/routing.ts';
import { enqueue } from '../messaging/outbox.ts';
import { rememberPerson } from '../roles/people.ts';
import { requirePermission } from '../roles/permissions.ts';
import { refreshIncidentHomes } from './homes.ts';

// The one way an incident changes: check who acts, move the incident's version on (so two people
// acting on the same card cannot both win), add a timeline line, audit it, and queue the card edit and
// the thread line, all in the caller's transaction. Every task, clock and decision change goes through
// `touchIncident`, so the card is redrawn, the timeline is complete and the Homes it shows on are current.

export const incidentSubject = (id: number) => `incident:${id}`;

export async function loadIncident(db: DbOrTx, id: number): Promise<IncidentRow> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Incident #${id} was not found.`);
  return row;
}

/** The bot itself, or an operator at the terminal (shell access to the store is trust already given). */
export function isOperator(actor: Actor): boolean {
  return actor.id === 'system' || actor.id.startsWith('cli:');
}

/** The lead may work their incident whatever their roles; otherwise the vendor owner, analysts, admins. */
export async function authorizeIncidentWork(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incident: IncidentRow,
): Promise<void> {
  if (!isOperator(actor) && actor.id !== incident.lead_id) {
    const vendor = await tx
      .selectFrom('vendors')
      .select('owner_id')
      .where('id', '=', incident.vendor_id)
      .executeTakeFirst();
    await requirePermission(tx, actor, 'incident.work', vendor?.owner_id ?? null);
  }
  if (actor.id !== 'system') await rememberPerson(tx, deps.clock, actor);
}

/** Where this incident's card went (or goes first): the incident channel, else where the vendor's findings go. */
export async function incidentTargets(tx: DbOrTx, deps: CoreDeps, incident: IncidentRow): Promise<string[]> {
  const known = await subjectTargets(tx, incidentSubject(incident.id), 'incident-card');
  if (known.length > 0) return known;
  const configured = deps.routing.incidentChannels ?? [];
  if (configured.length > 0) return [...configured];
  const vendor = await tx
    .selectFrom('vendors')
    .select(['channel', 'tier'])
    .where('id', '=', incident.vendor_id)
    .executeTakeFirstOrThrow();
  return findingTargets(tx, deps.routing, vendor);
}

export interface Touch {
  /** Audit action, e.g. `incident.task_done`. */
  action: string;
  /** The timeline line, written as a person reads it. */
  line: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** Incident columns that change with this step. */
  set?: Partial<Pick<IncidentRow, 'state' | 'lead_id' | 'aware_at' | 'vendor_notified_at' | 'review' | 'closed_at'>>;
  /** Only when the incident is in one of these states. */
  fromStates?: readonly string[];
  entityType?: string;
  entityId?: number;
  /** People this step takes the incident off the Home of, besides a former lead (a task's former assignee). */
  formerly?: readonly (string | null)[];
}

export async function touchIncident(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incident: IncidentRow,
  touch: Touch,
): Promise<IncidentRow> {
  const now = deps.clock.now().toISOString();
  let update = tx
    .updateTable('incidents')
    .set({ ...touch.set, version: incident.version + 1, updated_at: now })
    .where('id', '=', incident.id)
    .where('version', '=', incident.version);
  if (touch.fromStates) update = update.where('state', 'in', touch.fromStates);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict(`Incident #${incident.id} changed while you were acting on it. Look at its card again and retry.`);
  }
  const after = await loadIncident(tx, incident.id);
  const entry = await tx
    .insertInto('incident_timeline')
    .values({ incident_id: incident.id, at: now, actor_id: actor.id, actor_name: actor.name, text: touch.line })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(tx, deps.clock, {
    actor,
    action: touch.action,
    entityType: touch.entityType ?? 'incident',
    entityId: touch.entityId ?? incident.id,
    before: touch.before === undefined ? { version: incident.version } : touch.before,
    after: touch.after === undefined ? { version: after.version } : touch.after,
    reason: touch.reason ?? null,
  });
  await announceIncident(tx, deps, after, { timelineId: Number(entry.id), text: touch.line });
  await refreshIncidentHomes(tx, deps.clock, after, [incident.lead_id, ...(touch.formerly ?? [])]);
  return after;
}

/** Queues the card (posted once, then edited in place) and, when given, the timeline line in its thread. */
export async function announceIncident(
  tx: Tx,
  deps: CoreDeps,
  incident: IncidentRow,
  timeline?: { timelineId: number; text: string },
): Promise<string[]> {
  const subject = incidentSubject(incident.id);
  const targets = await incidentTargets(tx, deps, incident);
  for (const target of targets) {
    await enqueue(tx, deps.clock, {
      key: `${subject}:v${incident.version}:card:${target}`,
      target,
      subject,
      template: 'incident-card',
      data: { incidentId: incident.id },
    });
    if (timeline) {
      await enqueue(tx, deps.clock, {
        key: `${subject}:t${timeline.timelineId}:${target}`,
        target,
        threadOf: subject,
        template: 'incident-timeline',
        data: { incidentId: incident.id, text: timeline.text },
      });
    }
  }
  return targets;
}
