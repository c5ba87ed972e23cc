import { escalateOverdueReview } from '../core/approvals/auto-escalate.ts';
import { addDaysIso } from '../core/common/dates.ts';
import { IN_CADENCE } from '../core/lifecycle/states.ts';
import { autoEscalationOn, latestReviewSlot, reviewEscalationDue } from '../core/policy/cadence.ts';
import { dayLate, type Firing, fire, ownerOrRouting, remindAll, type SweepContext, unfiredKeys } from './firing.ts';

// Reassessment reminders to the vendor's owner (30, 7 and 1 days before, the due day, weekly while
// overdue) and, once a review is long overdue, an escalation request to the approvers. Keys carry the
// due date, so a completed review (a new due date) starts a fresh set of reminders.

interface DueVendor {
  id: number;
  name: string;
  tier: string;
  owner_id: string | null;
  channel: string | null;
  next_review_on: string | null;
}

type Plan = Firing & { vendor: DueVendor; dueOn: string } & (
    | { kind: 'reminder'; daysBefore: number }
    | { kind: 'escalation' }
  );

export const reviewKey = (vendorId: number, dueOn: string, slot: string) => `review:${vendorId}:${dueOn}:${slot}`;

/**
 * Vendors in service whose review falls due within the longest reminder offset, through the
 * (status, next_review_on) index. Vendors reviewed on time and far from due are never read.
 */
export function dueVendors(ctx: Pick<SweepContext, 'tx' | 'today' | 'deps'>): Promise<DueVendor[]> {
  const horizon = addDaysIso(ctx.today, Math.max(0, ...ctx.deps.policy.reminderOffsetsDays));
  return ctx.tx
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'owner_id', 'channel', 'next_review_on'])
    .where('status', 'in', IN_CADENCE)
    .where('next_review_on', 'is not', null)
    .where('next_review_on', '<=', horizon)
    .orderBy('next_review_on')
    .orderBy('id')
    .execute();
}

/** Pure: what is due for one vendor today. Only the latest missed reminder slot, ever. */
export function planReview(vendor: DueVendor, ctx: Pick<SweepContext, 'today' | 'deps' | 'lastSweepAt'>): Plan[] {
  const dueOn = vendor.next_review_on;
  if (!dueOn) return [];
  const { today, deps } = ctx;
  const plans: Plan[] = [];
  // Plain literals rather than spreading a shared base: V8 clones a fresh object and then adds to it
  // on a slow path, which cost more than all the date arithmetic here.
  const slot = latestReviewSlot(dueOn, deps.policy, today);
  if (slot) {
    const key = reviewKey(vendor.id, dueOn, slot.key);
    const late = slot.late && dayLate(ctx, slot.on);
    plans.push({ vendor, dueOn, kind: 'reminder', key, late, daysBefore: slot.daysBefore });
  }
  const escalation = reviewEscalationDue(dueOn, deps.policy, today);
  if (escalation) {
    const key = reviewKey(vendor.id, dueOn, 'escalate');
    const late = escalation.late && dayLate(ctx, autoEscalationOn(dueOn, deps.policy));
    plans.push({ vendor, dueOn, kind: 'escalation', key, late });
  }
  return plans;
}

export async function runReviewTrigger(ctx: SweepContext): Promise<void> {
  const plans = (await dueVendors(ctx)).flatMap((v) => planReview(v, ctx));
  const open = await unfiredKeys(
    ctx.tx,
    plans.map((p) => p.key),
  );
  for (const plan of plans) {
    if (!open.has(plan.key)) continue;
    await fire(ctx, plan, async () => {
      if (plan.kind === 'escalation') {
        const { finding, escalation } = await escalateOverdueReview(ctx.tx, ctx.deps, plan.vendor, plan.dueOn);
        return { findingId: finding.id, requestId: escalation?.request.id ?? null };
      }
      return remindAll(ctx, plan, await ownerOrRouting(ctx, plan.vendor), plan.vendor.id, {
        reviewDueOn: plan.dueOn,
      });
    });
  }
}
