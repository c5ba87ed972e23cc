import { durationText } from '../../core/incidents/clock-time.ts';
import { listIncidents } from '../../core/incidents/queries.ts';
import { principalsOf } from '../../core/roles/identity.ts';
import type { DbOrTx } from '../../store/database.ts';
import type { Block } from '../reply.ts';

// The Home tab's incident section: incidents the person leads or has tasks in, each with the nearest
// running deadline and the person's open tasks. Nothing at all when they have none.

export async function incidentHomeBlocks(db: DbOrTx, principal: string, now: Date): Promise<Block[]> {
  const open = await listIncidents(db);
  if (open.length === 0) return [];
  // Under any of the person's linked accounts: an incident led from Teams shows on their Slack Home.
  const mine = await principalsOf(db, principal);
  const tasks = await db
    .selectFrom('incident_tasks')
    .select(['incident_id', 'number', 'title'])
    .where('assignee_id', 'in', mine)
    .where('done_at', 'is', null)
    .orderBy('incident_id')
    .orderBy('number')
    .execute();
  const lines: string[] = [];
  for (const i of open) {
    const myTasks = tasks.filter((t) => t.incident_id === i.id);
    const leads = mine.includes(i.lead_id);
    if (!leads && myTasks.length === 0) continue;
    const left = i.next_deadline ? Date.parse(i.next_deadline) - now.getTime() : null;
    const deadline =
      left === null
        ? 'no clock running'
        : left > 0
          ? `next deadline in ${durationText(left)}`
          : 'a deadline has passed';
    const role = leads ? 'you lead it' : 'you have tasks';
    const taskText = myTasks.map((t) => `T${t.number} ${t.title}`).join('; ');
    lines.push(
      `#${i.id} ${i.vendor_name}: ${i.summary} (${role}; ${deadline})${taskText ? `\nYour tasks: ${taskText}` : ''}`,
    );
  }
  if (lines.length === 0) return [];
  return [{ type: 'header', text: 'Incidents' }, { type: 'text', text: lines.join('\n') }, { type: 'divider' }];
}
