import type { DbOrTx } from '../../store/database.ts';
import type { Routing } from '../common/deps.ts';
import { TIERS, type Tier } from '../common/vocabulary.ts';

// Where a finding's card goes. The first card picks its targets; every later change edits the same
// messages, so later cards go to the targets the first one went to, even if routing changed since.

/** A subscription with `min_tier` admits that tier and every riskier one; null admits all. */
export function tierAdmitted(vendorTier: string, minTier: string | null): boolean {
  if (minTier === null) return true;
  const vendorRank = TIERS.indexOf(vendorTier as Tier);
  const minRank = TIERS.indexOf(minTier as Tier);
  if (vendorRank < 0 || minRank < 0) return true;
  return vendorRank <= minRank;
}

/**
 * The vendor's own channel if it has one; else every subscription admitting the vendor's tier; else the
 * deployment's findings channels.
 */
export async function findingTargets(
  db: DbOrTx,
  routing: Routing,
  vendor: { channel: string | null; tier: string },
): Promise<string[]> {
  if (vendor.channel) return [vendor.channel];
  const subscriptions = await db.selectFrom('subscriptions').select(['channel', 'min_tier']).orderBy('id').execute();
  const admitted = subscriptions.filter((s) => tierAdmitted(vendor.tier, s.min_tier)).map((s) => s.channel);
  if (admitted.length > 0) return admitted;
  return [...routing.findingsChannels];
}

/** The targets a subject's card was already sent (or queued) to, in first-queued order. */
export async function subjectTargets(db: DbOrTx, subject: string, template: string): Promise<string[]> {
  const queued = await db
    .selectFrom('outbox')
    .select('target')
    .where('subject', '=', subject)
    .where('template', '=', template)
    .orderBy('id')
    .execute();
  // A relay may prune delivered rows; the message reference it keeps still names the target.
  const delivered = await db.selectFrom('message_refs').select('target').where('subject', '=', subject).execute();
  return [...new Set([...queued.map((r) => r.target), ...delivered.map((r) => r.target)])];
}

/** The targets of an existing finding's card; routing decides only if none was ever queued. */
export async function findingCardTargets(
  db: DbOrTx,
  routing: Routing,
  findingId: number,
  vendor: { channel: string | null; tier: string },
): Promise<string[]> {
  const known = await subjectTargets(db, `finding:${findingId}`, 'finding-card');
  return known.length > 0 ? known : findingTargets(db, routing, vendor);
}
