import type { Tx } from '../../store/database.ts';
import type { Actor } from '../common/actor.ts';
import { requireIsoDate, todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidInput } from '../common/errors.ts';
import type { Tier } from '../common/vocabulary.ts';
import { nextReviewOn } from '../policy/cadence.ts';
import { parseCriticality, parseDataTypes, parsePrincipal, parseTier, readList, requireReason } from './input.ts';
import { applyVendorPatch, loadVendor, type PatchResult } from './patch.ts';
import { deriveTier } from './tier.ts';

export async function setOwner(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: { vendorId: number; ownerId: string | null },
): Promise<PatchResult> {
  const current = await loadVendor(tx, input.vendorId);
  const ownerId = input.ownerId?.trim() ? parsePrincipal(input.ownerId, 'The owner') : null;
  return applyVendorPatch(tx, deps.clock, actor, current, { owner_id: ownerId }, 'vendor.owner');
}

/** `tier: null` removes the override: the tier is derived again. A reason is required either way. */
export interface TierOverrideInput {
  vendorId: number;
  tier: string | null;
  reason: string;
}

export async function overrideTier(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: TierOverrideInput,
): Promise<PatchResult> {
  const reason = requireReason(input.reason, input.tier ? 'overriding the tier' : 'removing the tier override');
  const current = await loadVendor(tx, input.vendorId);
  const tier: Tier = input.tier
    ? parseTier(input.tier)
    : deriveTier(parseDataTypes(readList(current.data_types)), parseCriticality(current.criticality));
  // A different tier means a different cadence, counted from the last completed review.
  const nextReview =
    tier !== current.tier && current.last_review_on
      ? nextReviewOn(current.last_review_on, tier, deps.policy)
      : undefined;
  return applyVendorPatch(
    tx,
    deps.clock,
    actor,
    current,
    { tier, tier_override_reason: input.tier ? reason : null, next_review_on: nextReview },
    input.tier ? 'vendor.tier_override' : 'vendor.tier_override_removed',
    reason,
  );
}

/**
 * Records a completed review (an assessment accepted, or a review done outside the bot): the next one
 * falls due by the tier cadence. Called inside the transaction that completes the assessment.
 */
export async function markReviewed(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  input: { vendorId: number; reviewedOn: string },
): Promise<PatchResult> {
  const reviewedOn = requireIsoDate(input.reviewedOn, 'The review date');
  if (reviewedOn > todayOf(deps)) throw invalidInput(`A review cannot be completed in the future (${reviewedOn}).`);
  const current = await loadVendor(tx, input.vendorId);
  if (current.last_review_on && current.last_review_on > reviewedOn) return { vendor: current, changed: false };
  return applyVendorPatch(
    tx,
    deps.clock,
    actor,
    current,
    { last_review_on: reviewedOn, next_review_on: nextReviewOn(reviewedOn, current.tier, deps.policy) },
    'vendor.reviewed',
  );
}
