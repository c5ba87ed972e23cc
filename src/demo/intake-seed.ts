import { appendAudit } from '../core/audit/log.ts';
import type { Actor } from '../core/common/actor.ts';
import { startDueDiligence } from '../core/lifecycle/due-diligence.ts';
import { requestVendor } from '../core/lifecycle/intake.ts';
import { IN_CADENCE } from '../core/lifecycle/states.ts';
import type { SeedContext } from './seed-steps.ts';

// The demo's vendors were in use before the bot: they are seeded active as legacy vendors, which the
// trail says once. The playground adds the lifecycle's front door: one vendor asked for by the clinical
// operations lead and still requested, and one already in due diligence with its BAA missing.

export async function recordLegacyVendors(ctx: SeedContext, actor: Actor): Promise<void> {
  const rows = await ctx.tx
    .selectFrom('vendors')
    .select('name')
    .where('status', 'in', IN_CADENCE)
    .orderBy('id')
    .execute();
  if (rows.length === 0) return;
  await appendAudit(ctx.tx, ctx.deps.clock, {
    actor,
    action: 'vendor.import.legacy',
    entityType: 'import',
    entityId: 'demo-portfolio',
    after: { vendors: rows.map((r) => r.name) },
    reason: 'pre-existing vendors, in use before the activation gate, seeded as active',
  });
}

const CLINICAL_OPERATIONS = 'slack:UDEMOOWNER';

export async function seedIntake(ctx: SeedContext): Promise<void> {
  const requester = ctx.people.get(CLINICAL_OPERATIONS);
  if (!requester) throw new Error('the demo portfolio has no clinical operations lead');
  await requestVendor(ctx.tx, ctx.deps, requester, {
    name: 'Lumen eCOA',
    website: 'lumen-ecoa.example',
    service: 'Electronic patient diaries for the phase II dermatology study',
    data: ['PHI', 'trial data'],
    recordCount: 12_000,
    systems: 'EDC (Meridian), study SSO',
  });
  const { vendor } = await requestVendor(ctx.tx, ctx.deps, requester, {
    name: 'Cobalt IRT',
    website: 'cobalt-irt.example',
    service: 'Randomisation and trial supply management',
    data: ['PHI'],
    recordCount: 3_000,
    systems: 'EDC, depot ERP',
  });
  await startDueDiligence(ctx.tx, ctx.deps, ctx.analyst, vendor.id);
}
