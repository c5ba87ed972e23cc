import type { DbOrTx } from '../../store/database.ts';
import type {
  IncidentClockRow,
  IncidentDecisionRow,
  IncidentRow,
  IncidentTaskRow,
  IncidentTimelineRow,
  SignatureRow,
} from '../../store/tables.ts';
import { loadPlaybooks, type Playbook } from './playbooks.ts';
import { loadIncident } from './record.ts';

// Everything about one incident, read once for its card and its report; and the open incidents.

export interface IncidentDetail {
  incident: IncidentRow;
  vendor: { id: number; name: string; tier: string; regulatory_scope: string[]; data_types: string[] };
  playbook: Playbook | null;
  tasks: IncidentTaskRow[];
  clocks: IncidentClockRow[];
  decisions: (IncidentDecisionRow & { signature: SignatureRow | null })[];
  timeline: IncidentTimelineRow[];
  links: { kind: string; ref_id: number }[];
  /** Printed names of everyone the incident names, by principal. */
  names: Record<string, string>;
}

export async function getIncidentDetail(db: DbOrTx, incidentId: number): Promise<IncidentDetail> {
  const incident = await loadIncident(db, incidentId);
  const vendor = await db
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'regulatory_scope', 'data_types'])
    .where('id', '=', incident.vendor_id)
    .executeTakeFirstOrThrow();
  const tasks = await db
    .selectFrom('incident_tasks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('number')
    .execute();
  const clocks = await db
    .selectFrom('incident_clocks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('deadline')
    .orderBy('id')
    .execute();
  const decisionRows = await db
    .selectFrom('incident_decisions')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
  const signatures = decisionRows.length
    ? await db
        .selectFrom('signatures')
        .selectAll()
        .where('record_type', '=', 'incident_decision')
        .where(
          'record_id',
          'in',
          decisionRows.map((d) => d.id),
        )
        .execute()
    : [];
  const decisions = decisionRows.map((d) => ({
    ...d,
    signature: signatures.find((s) => s.record_id === d.id) ?? null,
  }));
  const timeline = await db
    .selectFrom('incident_timeline')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
  const links = await db
    .selectFrom('incident_links')
    .select(['kind', 'ref_id'])
    .where('incident_id', '=', incidentId)
    .orderBy('kind')
    .orderBy('ref_id')
    .execute();
  const principals = new Set<string>([incident.lead_id, incident.declared_by]);
  for (const t of tasks) {
    if (t.assignee_id) principals.add(t.assignee_id);
    if (t.done_by) principals.add(t.done_by);
  }
  for (const d of decisions) principals.add(d.requested_by);
  const people = await db
    .selectFrom('people')
    .select(['principal', 'display_name'])
    .where('principal', 'in', [...principals])
    .execute();
  const names: Record<string, string> = {};
  for (const p of principals) names[p] = people.find((r) => r.principal === p)?.display_name ?? p;
  return {
    incident,
    vendor: {
      id: vendor.id,
      name: vendor.name,
      tier: vendor.tier,
      regulatory_scope: JSON.parse(vendor.regulatory_scope) as string[],
      data_types: JSON.parse(vendor.data_types) as string[],
    },
    playbook: loadPlaybooks().get(incident.scenario) ?? null,
    tasks,
    clocks,
    decisions,
    timeline,
    links,
    names,
  };
}

export interface IncidentListItem {
  id: number;
  vendor_name: string;
  scenario: string;
  severity: string;
  state: string;
  summary: string;
  lead_id: string;
  aware_at: string;
  /** The nearest running deadline, if any clock runs. */
  next_deadline: string | null;
}

/** Incidents not yet closed (or every incident), newest first, with the nearest running deadline. */
export async function listIncidents(db: DbOrTx, options: { all?: boolean } = {}): Promise<IncidentListItem[]> {
  let q = db
    .selectFrom('incidents as i')
    .innerJoin('vendors as v', 'v.id', 'i.vendor_id')
    .select([
      'i.id',
      'v.name as vendor_name',
      'i.scenario',
      'i.severity',
      'i.state',
      'i.summary',
      'i.lead_id',
      'i.aware_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('incident_clocks as c')
        .select((e) => e.fn.min('c.deadline').as('d'))
        .whereRef('c.incident_id', '=', 'i.id')
        .where('c.state', '=', 'running')
        .as('next_deadline'),
    )
    .orderBy('i.id', 'desc');
  if (!options.all) q = q.where('i.state', '!=', 'closed');
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, next_deadline: (r.next_deadline as string | null) ?? null }));
}
