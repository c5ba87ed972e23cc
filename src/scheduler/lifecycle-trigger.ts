import { addDaysIso, daysBetween } from '../core/common/dates.ts';
import { describeRule, missingRequiredEvidence } from '../core/evidence/required.ts';
import { findingTargets } from '../core/findings/routing.ts';
import { isStalled, pendingVendors } from '../core/lifecycle/stalls.ts';
import { statusLabel } from '../core/lifecycle/states.ts';
import { enqueueAll, fire, type SweepContext } from './firing.ts';

// The lifecycle's scheduled work. Due diligence that has not moved for policy.dueDiligenceStallDays
// reminds whoever runs it (the assignee, else the risk team's channel), once per stall period; a
// contract ending within policy.offboardingPromptDays prompts the analysts, once per end date, to start
// offboarding. The latest slot only, like every reminder.

async function remindStalled(ctx: SweepContext): Promise<void> {
  const { policy } = ctx.deps;
  for (const vendor of await pendingVendors(ctx.tx, ctx.today)) {
    if (!isStalled(vendor, policy)) continue;
    const period = Math.floor(vendor.idleDays / policy.dueDiligenceStallDays);
    const firing = { key: `due-diligence:${vendor.id}:${vendor.since}:${period}`, late: false };
    await fire(ctx, firing, async () => {
      const row = await ctx.tx.selectFrom('vendors').selectAll().where('id', '=', vendor.id).executeTakeFirstOrThrow();
      const missing = await missingRequiredEvidence(ctx.tx, policy, row, ctx.deps.clock.now());
      const what = vendor.status === 'requested' ? 'has not been picked up' : 'has not moved';
      const text =
        `${vendor.name} (${statusLabel(vendor.status).toLowerCase()}) ${what} for ${vendor.idleDays} days, since ${vendor.since}. ` +
        (vendor.status === 'requested'
          ? `Start due diligence with \`/vendor review "${vendor.name}"\`.`
          : missing.length > 0
            ? `Still missing: ${missing.map(describeRule).join('; ')}.`
            : `Nothing required is missing: ask for activation with \`/vendor activate "${vendor.name}"\`.`);
      const targets = vendor.assignee_id ? [vendor.assignee_id] : [...ctx.deps.routing.findingsChannels];
      return enqueueAll(ctx, firing, targets, { template: 'text', data: { text } });
    });
  }
}

async function promptOffboarding(ctx: SweepContext): Promise<void> {
  const horizon = addDaysIso(ctx.today, ctx.deps.policy.offboardingPromptDays);
  const ending = await ctx.tx
    .selectFrom('vendors')
    .select(['id', 'name', 'tier', 'channel', 'contract_end'])
    .where('status', '=', 'active')
    .where('contract_end', 'is not', null)
    .where('contract_end', '>=', ctx.today)
    .where('contract_end', '<=', horizon)
    .orderBy('contract_end')
    .orderBy('id')
    .execute();
  for (const vendor of ending) {
    const end = vendor.contract_end as string;
    const firing = { key: `offboard-prompt:${vendor.id}:${end}`, late: false };
    await fire(ctx, firing, async () => {
      const days = daysBetween(ctx.today, end);
      const text =
        `The contract with ${vendor.name} ends on ${end} (in ${days} day${days === 1 ? '' : 's'}). ` +
        `Start offboarding with \`/vendor offboard "${vendor.name}"\`: access, integrations, our data and the BAA/DPA duties.`;
      return enqueueAll(ctx, firing, await findingTargets(ctx.tx, ctx.deps.routing, vendor), {
        template: 'text',
        data: { text },
      });
    });
  }
}

export async function runLifecycleTrigger(ctx: SweepContext): Promise<void> {
  await remindStalled(ctx);
  await promptOffboarding(ctx);
}
