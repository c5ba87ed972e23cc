import type { Tx } from '../../store/database.ts';
import type { IncidentRow } from '../../store/tables.ts';
import type { Clock } from '../common/clock.ts';
import { refreshHomes } from '../messaging/home-refresh.ts';

// An incident shows on the Home of its lead and of everyone with a task in it, with its nearest
// deadline; any change to it (declared, a clock started or missed, a decision signed, a task moved)
// queues a refresh of those Homes, and of anyone the change took it away from (a former lead).

export async function refreshIncidentHomes(
  tx: Tx,
  clock: Clock,
  incident: Pick<IncidentRow, 'id' | 'lead_id'>,
  formerly: readonly (string | null | undefined)[] = [],
): Promise<void> {
  const tasks = await tx
    .selectFrom('incident_tasks')
    .select('assignee_id')
    .where('incident_id', '=', incident.id)
    .execute();
  await refreshHomes(tx, clock, [incident.lead_id, ...tasks.map((t) => t.assignee_id), ...formerly]);
}
