import type { CoreDeps } from '../../core/common/deps.ts';
import { isUserError } from '../../core/common/errors.ts';
import { durationText } from '../../core/incidents/clock-time.ts';
import { clockName } from '../../core/incidents/clocks.ts';
import { getIncidentDetail, type IncidentDetail } from '../../core/incidents/queries.ts';
import { inChannel } from '../reply.ts';
import { incidentCard } from '../views/incident-card.ts';
import { formatUtc } from '../views/wording.ts';
import type { NotificationRenderer } from './types.ts';

// The incident card, its timeline lines, clock reminders and missed-clock escalations; each read fresh
// at send time, so a reminder for a clock settled meanwhile is dropped and the card shows time left now.

async function detail(deps: CoreDeps, incidentId: number): Promise<IncidentDetail | null> {
  try {
    return await getIncidentDetail(deps.db, incidentId);
  } catch (error) {
    if (isUserError(error) && error.code === 'not_found') return null;
    throw error;
  }
}

async function clockDetail(deps: CoreDeps, clockId: number) {
  const clock = await deps.db
    .selectFrom('incident_clocks')
    .select('incident_id')
    .where('id', '=', clockId)
    .executeTakeFirst();
  const d = clock ? await detail(deps, clock.incident_id) : null;
  const c = d?.clocks.find((x) => x.id === clockId);
  return d && c ? { d, c } : null;
}

export const renderIncidentCard: NotificationRenderer<'incident-card'> = async ({ deps, data }) => {
  const d = await detail(deps, data.incidentId);
  return d ? incidentCard(d, deps.clock.now()) : null;
};

export const renderIncidentTimeline: NotificationRenderer<'incident-timeline'> = async ({ deps, data }) => {
  const d = await detail(deps, data.incidentId);
  return d ? inChannel(data.text) : null;
};

export const renderIncidentReminder: NotificationRenderer<'incident-reminder'> = async ({ deps, data, late }) => {
  const found = await clockDetail(deps, data.clockId);
  if (!found) return null;
  if (found.c.state !== 'running' || found.c.deadline !== data.deadline) return null;
  const { d, c } = found;
  const left = Date.parse(c.deadline) - deps.clock.now().getTime();
  if (left <= 0) return null;
  const text = `⏱ Incident #${d.incident.id} (${d.vendor.name}): ${clockName(c)} is due in ${durationText(left)}, by ${formatUtc(c.deadline)}.${late ? ' (Sent late, after downtime.)' : ''} Record it as met or not required on the incident card.`;
  return inChannel(text, [{ type: 'text', text }]);
};

export const renderIncidentMissed: NotificationRenderer<'incident-missed'> = async ({ deps, data }) => {
  const found = await clockDetail(deps, data.clockId);
  if (!found) return null;
  const { d, c } = found;
  const lead = d.names[d.incident.lead_id] ?? d.incident.lead_id;
  const text = `❗ Missed regulatory deadline: incident #${d.incident.id} at ${d.vendor.name}: ${clockName(c)} was due ${formatUtc(c.deadline)}. Lead: ${lead}. Approvers: decide the next step with the lead now.`;
  return inChannel(text, [{ type: 'text', text }]);
};
