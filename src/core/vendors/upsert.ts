import type { Tx } from '../../store/database.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { markReviewed, overrideTier, setOwner } from './admin.ts';
import { createVendor, type NewVendorInput, updateVendor } from './create-update.ts';
import { nameKeyOf, parsePrincipal, parseTier } from './input.ts';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the vendor or brings it in line with the input, field by field, so importing the same file
 * twice changes nothing the second time. Fields left undefined are left alone. Runs inside the
 * importer's transaction: one bad row rolls back the whole file.
 */
export async function upsertVendor(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: NewVendorInput,
): Promise<UpsertOutcome> {
  const existing = await tx
    .selectFrom('vendors')
    .select(['id', 'owner_id'])
    .where('name_key', '=', nameKeyOf(input.name))
    .executeTakeFirst();
  if (!existing) {
    await createVendor(tx, deps, actor, input);
    return 'created';
  }
  const vendorId = existing.id;
  const results = [
    await updateVendor(tx, deps, actor, {
      vendorId,
      changes: {
        services: input.services,
        dataTypes: input.dataTypes,
        criticality: input.criticality,
        regulatoryScope: input.regulatoryScope,
        contractStart: input.contractStart,
        contractEnd: input.contractEnd,
        status: input.status,
        channel: input.channel,
      },
    }),
  ];
  if (input.ownerId !== undefined) {
    const ownerId = input.ownerId?.trim() ? parsePrincipal(input.ownerId, 'The owner') : null;
    if (ownerId !== existing.owner_id) results.push(await setOwner(tx, deps, actor, { vendorId, ownerId }));
  }
  if (input.tierOverride) {
    const tier = parseTier(input.tierOverride.tier);
    const current = await tx
      .selectFrom('vendors')
      .select(['tier', 'tier_override_reason'])
      .where('id', '=', vendorId)
      .executeTakeFirstOrThrow();
    if (current.tier !== tier || current.tier_override_reason === null) {
      results.push(await overrideTier(tx, deps, actor, { vendorId, tier, reason: input.tierOverride.reason }));
    }
  }
  if (input.lastReviewOn) {
    results.push(await markReviewed(tx, deps, actor, { vendorId, reviewedOn: input.lastReviewOn }));
  }
  return results.some((r) => r.changed) ? 'updated' : 'unchanged';
}
