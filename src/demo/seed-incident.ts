import { markClockMet } from '../core/incidents/clocks.ts';
import { declareIncident } from '../core/incidents/declare.ts';
import { completeTask } from '../core/incidents/work.ts';
import type { SeedContext } from './seed-steps.ts';

// The demo's incident in progress: the open Elasticsearch at the clinical-trial site network, declared
// by the analyst from the scanner's finding the morning after it was seen, its first containment steps
// done and the vendor's notice received; the regulatory clocks count down from the scanner's sighting.

export const DEMO_INCIDENT_VENDOR = 'Northstar Trials Network';
const SIGNAL_ID = 'NS-ES-2026-0142';

export async function seedDemoIncident(ctx: SeedContext): Promise<number | null> {
  const vendorId = ctx.vendorIds.get(DEMO_INCIDENT_VENDOR);
  if (vendorId === undefined) return null;
  const signal = await ctx.tx
    .selectFrom('signals')
    .select(['id', 'finding_id', 'received_at'])
    .where('vendor_id', '=', vendorId)
    .where('external_id', '=', SIGNAL_ID)
    .executeTakeFirst();
  if (!signal) return null;
  const incident = await declareIncident(ctx.tx, ctx.deps, ctx.analyst, {
    vendorId,
    scenario: 'datastore-exposed',
    summary: "Elasticsearch on search.northstar-trials.example answers without authentication (index 'patients-2026')",
    awareAt: signal.received_at,
    findingIds: signal.finding_id ? [signal.finding_id] : [],
    signalIds: [signal.id],
  });
  await completeTask(ctx.tx, ctx.deps, ctx.analyst, incident.id, 1);
  await completeTask(ctx.tx, ctx.deps, ctx.analyst, incident.id, 2);
  const notice = await ctx.tx
    .selectFrom('incident_clocks')
    .select('id')
    .where('incident_id', '=', incident.id)
    .where('rule', '=', 'vendor-notice')
    .executeTakeFirst();
  if (notice) {
    await markClockMet(ctx.tx, ctx.deps, ctx.analyst, notice.id, {
      note: 'Northstar security team confirmed by phone and email after our call',
    });
  }
  return incident.id;
}
