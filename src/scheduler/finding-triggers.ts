import { sql } from 'kysely';
import { escalateSlaBreach } from '../core/approvals/auto-escalate.ts';
import { addDaysIso } from '../core/common/dates.ts';
import { reopenExpiredAcceptance } from '../core/findings/actions.ts';
import { expiredAcceptances } from '../core/findings/queries.ts';
import { slaReminderOn } from '../core/policy/cadence.ts';
import { dayLate, type Firing, fire, ownerOrRouting, remindAll, type SweepContext } from './firing.ts';

// Finding deadlines: the assignee hears 3 days before the SLA lapses; a lapsed SLA asks an approver
// to escalate; a risk acceptance that ran out reopens the finding, whose card then says why. Keys
// carry the date they are about, so a fresh SLA (after a reopen) gets its own reminder.

const WAITING_STATES = ['open', 'acknowledged', 'assigned'] as const;

export const slaKey = (findingId: number, dueOn: string, slot: 'reminder' | 'breach') =>
  `sla:${findingId}:${dueOn}:${slot}`;
export const acceptanceKey = (findingId: number, until: string) => `acceptance:${findingId}:${until}:expired`;

/** The day after a last day: when a breach or an expiry is on time. */
const dayAfter = (on: string) => addDaysIso(on, 1);

/**
 * Findings still waiting whose SLA falls within the reminder window and whose reminder has not fired,
 * through the (state, sla_due_on) index. A finding already past its SLA is the breach's business.
 */
function slaReminderCandidates(ctx: SweepContext) {
  return ctx.tx
    .selectFrom('findings as f')
    .innerJoin('vendors as v', 'v.id', 'f.vendor_id')
    .select(['f.id', 'f.vendor_id', 'f.sla_due_on', 'f.assignee_id', 'v.owner_id', 'v.channel', 'v.tier'])
    .where('f.state', 'in', WAITING_STATES)
    .where('f.sla_due_on', '>=', ctx.today)
    .where('f.sla_due_on', '<=', addDaysIso(ctx.today, ctx.deps.policy.slaReminderDays))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('fired_triggers as ft')
            .select('ft.key')
            .where(
              'ft.key',
              '=',
              sql<string>`'sla:' || cast(${sql.ref('f.id')} as text) || ':' || ${sql.ref('f.sla_due_on')} || ':reminder'`,
            ),
        ),
      ),
    )
    .orderBy('f.sla_due_on')
    .orderBy('f.id')
    .execute();
}

export async function runSlaReminderTrigger(ctx: SweepContext): Promise<void> {
  for (const f of await slaReminderCandidates(ctx)) {
    const on = slaReminderOn(f.sla_due_on, ctx.deps.policy);
    if (on > ctx.today) continue;
    const firing: Firing = {
      key: slaKey(f.id, f.sla_due_on, 'reminder'),
      late: dayLate(ctx, on),
    };
    await fire(ctx, firing, async () => {
      const targets = f.assignee_id ? [f.assignee_id] : await ownerOrRouting(ctx, f);
      return remindAll(ctx, firing, targets, f.vendor_id, { findingIds: [f.id] });
    });
  }
}

/**
 * The core's slaBreaches (still waiting, SLA passed) less those whose breach has fired: a rejected
 * automatic escalation leaves its finding waiting with a passed SLA, and such findings must not be
 * re-read on every tick for as long as they stay open.
 */
function unfiredBreaches(ctx: SweepContext) {
  return ctx.tx
    .selectFrom('findings as f')
    .select(['f.id', 'f.sla_due_on'])
    .where('f.state', 'in', WAITING_STATES)
    .where('f.sla_due_on', '<', ctx.today)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('fired_triggers as ft')
            .select('ft.key')
            .where(
              'ft.key',
              '=',
              sql<string>`'sla:' || cast(${sql.ref('f.id')} as text) || ':' || ${sql.ref('f.sla_due_on')} || ':breach'`,
            ),
        ),
      ),
    )
    .orderBy('f.id')
    .execute();
}

export async function runSlaBreachTrigger(ctx: SweepContext): Promise<void> {
  for (const finding of await unfiredBreaches(ctx)) {
    const firing: Firing = {
      key: slaKey(finding.id, finding.sla_due_on, 'breach'),
      late: dayLate(ctx, dayAfter(finding.sla_due_on)),
    };
    await fire(ctx, firing, async () => {
      const result = await escalateSlaBreach(ctx.tx, ctx.deps, finding);
      return { requestId: result?.request.id ?? null };
    });
  }
}

export async function runAcceptanceExpiryTrigger(ctx: SweepContext): Promise<void> {
  const expired = (await expiredAcceptances(ctx.tx, ctx.today)).flatMap((f) =>
    f.accepted_until
      ? [
          {
            findingId: f.id,
            key: acceptanceKey(f.id, f.accepted_until),
            late: dayLate(ctx, dayAfter(f.accepted_until)),
          },
        ]
      : [],
  );
  for (const item of expired) {
    await fire(ctx, item, async () => {
      const reopened = await reopenExpiredAcceptance(ctx.tx, ctx.deps, item.findingId);
      return { reopened: reopened !== null, reason: reopened?.reopened_reason ?? null };
    });
  }
}
