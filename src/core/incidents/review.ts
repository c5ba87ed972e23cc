import type { Tx } from '../../store/database.ts';
import type { IncidentRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { EVIDENCE_LABELS } from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';
import type { Review } from './decisions.ts';

// The post-incident review, applied in the closing transaction: each follow-up and each piece of
// evidence to obtain again opens a finding against the vendor; a tier or review-date change is made
// on the vendor with the incident as its reason.

export interface AppliedReview {
  findingIds: number[];
  tier: { from: string; to: string } | null;
  nextReviewOn: { from: string | null; to: string } | null;
  summary: string;
}

export async function applyReview(
  tx: Tx,
  deps: CoreDeps,
  actor: Actor,
  incident: IncidentRow,
  review: Review,
): Promise<AppliedReview> {
  const findingIds: number[] = [];
  const follow = async (key: string, title: string, detail: string) => {
    const { finding } = await openFinding(tx, deps, actor, {
      vendorId: incident.vendor_id,
      dedupeKey: `incident:${incident.id}:${key}`,
      source: 'incident',
      title,
      detail,
      severity: 'medium',
    });
    findingIds.push(finding.id);
  };
  for (const [i, text] of review.followUps.entries()) {
    await follow(`follow-up:${i + 1}`, text, `Follow-up from the review of incident #${incident.id}.`);
  }
  for (const type of review.evidence) {
    await follow(
      `evidence:${type}`,
      `Obtain a current ${EVIDENCE_LABELS[type]} after incident #${incident.id}`,
      `The review of incident #${incident.id} asks for fresh evidence.`,
    );
  }
  const vendor = await tx
    .selectFrom('vendors')
    .selectAll()
    .where('id', '=', incident.vendor_id)
    .executeTakeFirstOrThrow();
  const tier = review.tier && review.tier !== vendor.tier ? { from: vendor.tier, to: review.tier } : null;
  const nextReviewOn =
    review.nextReviewOn && review.nextReviewOn !== vendor.next_review_on
      ? { from: vendor.next_review_on, to: review.nextReviewOn }
      : null;
  if (tier || nextReviewOn) {
    const reason = `Post-incident review of incident #${incident.id}`;
    await tx
      .updateTable('vendors')
      .set({
        ...(tier ? { tier: tier.to, tier_override_reason: reason } : {}),
        ...(nextReviewOn ? { next_review_on: nextReviewOn.to } : {}),
        version: vendor.version + 1,
        updated_at: deps.clock.now().toISOString(),
      })
      .where('id', '=', vendor.id)
      .execute();
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'vendor.incident_review',
      entityType: 'vendor',
      entityId: vendor.id,
      before: { tier: vendor.tier, next_review_on: vendor.next_review_on, version: vendor.version },
      after: {
        tier: tier?.to ?? vendor.tier,
        next_review_on: nextReviewOn?.to ?? vendor.next_review_on,
        version: vendor.version + 1,
      },
      reason,
    });
  }
  const parts = [
    `${findingIds.length} follow-up finding${findingIds.length === 1 ? '' : 's'}`,
    tier ? `tier ${tier.from} → ${tier.to}` : 'tier unchanged',
    nextReviewOn ? `next review ${nextReviewOn.to}` : 'review date unchanged',
  ];
  return { findingIds, tier, nextReviewOn, summary: parts.join(', ') };
}
