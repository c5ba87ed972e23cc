import { subjectTargets } from '../core/findings/routing.ts';
import { missClock } from '../core/incidents/clocks.ts';
import { dueSlot, reminderSlots } from '../core/incidents/reminders.ts';
import { enqueueAll, type Firing, fire, missedWhileDown, type SweepContext, unfiredKeys } from './firing.ts';

// Regulatory clocks: reminders at 50, 75 and 90 % of each window and an hour before the deadline, to
// the incident lead and the incident's channel; a deadline passed while running is missed and
// escalated. Keys carry the clock's deadline, so a clock counted again (the awareness time corrected)
// gets reminders of its own, and each slot fires once for ever, restarts included.

export const incidentClockKey = (clockId: number, deadline: string, slot: string) =>
  `incident-clock:${clockId}:${deadline}:${slot}`;

export async function runIncidentClockTrigger(ctx: SweepContext): Promise<void> {
  const now = ctx.deps.clock.now().toISOString();
  const running = await ctx.tx
    .selectFrom('incident_clocks as c')
    .innerJoin('incidents as i', 'i.id', 'c.incident_id')
    .selectAll('c')
    .select(['i.lead_id'])
    .where('c.state', '=', 'running')
    .where('i.state', '!=', 'closed')
    .orderBy('c.deadline')
    .orderBy('c.id')
    .execute();
  for (const clock of running) {
    if (now >= clock.deadline) {
      const firing: Firing = { key: incidentClockKey(clock.id, clock.deadline, 'missed'), late: false };
      await fire(ctx, firing, async () => ({ escalatedTo: await missClock(ctx.tx, ctx.deps, clock) }));
      continue;
    }
    const slots = reminderSlots(clock.starts_at, clock.deadline, ctx.deps.policy.incidents);
    const due = dueSlot(slots, now, clock.deadline);
    if (!due) continue;
    const key = incidentClockKey(clock.id, clock.deadline, due.slot.name);
    const earlier = slots
      .slice(0, slots.indexOf(due.slot))
      .map((s) => incidentClockKey(clock.id, clock.deadline, s.name));
    // Late only when an earlier slot's time passed while no sweep ran: the bot was down for it.
    const missedAt = slots[slots.indexOf(due.slot) - 1]?.at;
    const overtaken =
      missedAt !== undefined &&
      missedWhileDown(ctx, new Date(missedAt)) &&
      (await unfiredKeys(ctx.tx, earlier)).size > 0;
    const firing: Firing = { key, late: overtaken };
    await fire(ctx, firing, async () => {
      const channels = await subjectTargets(ctx.tx, `incident:${clock.incident_id}`, 'incident-card');
      // A lead declared from the CLI (`cli:<login>`) has no chat to remind; the channel still hears.
      const lead = /^(slack|teams):/.test(clock.lead_id) ? [clock.lead_id] : [];
      const targets = [...lead, ...channels.filter((t) => t !== clock.lead_id)];
      return enqueueAll(ctx, firing, targets, {
        template: 'incident-reminder',
        data: { clockId: clock.id, deadline: clock.deadline, slot: due.slot.name },
      });
    });
  }
}
