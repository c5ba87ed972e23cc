import { sql } from 'kysely';
import { OVERDUE_REVIEW_SEVERITY } from '../core/approvals/auto-escalate.ts';
import { SYSTEM_ACTOR } from '../core/common/actor.ts';
import { addDaysIso } from '../core/common/dates.ts';
import { EVIDENCE_LABELS, type EvidenceType, type Tier } from '../core/common/vocabulary.ts';
import { currentEvidenceDueBy } from '../core/evidence/status.ts';
import { openFinding } from '../core/findings/actions.ts';
import { evidenceReminderSlots, latestDueSlot } from '../core/policy/cadence.ts';
import { dayLate, type Firing, fire, ownerOrRouting, remindAll, type SweepContext } from './firing.ts';

// Evidence expiry: the owner is reminded 30, 7 and 1 days before a document lapses, and on the expiry
// day a finding opens. Once the expiry has fired, the document never shows up here again, so expired
// and never-renewed documents do not pile up in every sweep.

interface DueDocument {
  id: number;
  vendor_id: number;
  type: string;
  expires_on: string;
  vendor_name: string;
  tier: string;
  owner_id: string | null;
  channel: string | null;
}

export const evidenceKey = (evidenceId: number, slot: string) => `evidence:${evidenceId}:${slot}`;

/**
 * In SQL, the key suffix of a document's latest slot on or before today, as latestDueSlot picks it:
 * `expired` from the expiry day, else `before-d` for the smallest offset d with expiry <= today + d.
 * Dates are compared as text against values computed here, so it runs the same on any dialect.
 */
function latestSlotSql(today: string, offsets: readonly number[]) {
  const ascending = [...new Set(offsets.filter((d) => d > 0))].sort((a, b) => a - b);
  const expires = sql.ref('e.expires_on');
  const branches = ascending.map((d) => sql`when ${expires} <= ${addDaysIso(today, d)} then ${`before-${d}`}`);
  return sql<
    string | null
  >`case when ${expires} <= ${today} then 'expired' ${sql.join(branches, sql` `)} else null end`;
}

/**
 * The current document of each vendor and type (a renewal supersedes it) expiring within the longest
 * reminder offset, for vendors in service, whose latest due slot has not fired: the core's rule
 * (currentEvidenceDueBy) plus the fired-key anti-join, so a sweep with nothing new reads no rows.
 */
function dueDocuments(ctx: SweepContext): Promise<DueDocument[]> {
  const horizon = addDaysIso(ctx.today, Math.max(0, ...ctx.deps.policy.evidenceReminderDays));
  const slot = latestSlotSql(ctx.today, ctx.deps.policy.evidenceReminderDays);
  return currentEvidenceDueBy(ctx.tx, horizon)
    .select(['e.id', 'e.vendor_id', 'e.type', 'e.expires_on', 'v.name as vendor_name', 'v.tier', 'v.owner_id'])
    .select('v.channel')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('fired_triggers as ft')
            .select('ft.key')
            .where('ft.key', '=', sql<string>`'evidence:' || cast(${sql.ref('e.id')} as text) || ':' || ${slot}`),
        ),
      ),
    )
    .orderBy('e.expires_on')
    .orderBy('e.id')
    .execute();
}

export async function runEvidenceTrigger(ctx: SweepContext): Promise<void> {
  const plans = (await dueDocuments(ctx)).flatMap((doc) => {
    const slot = latestDueSlot(evidenceReminderSlots(doc.expires_on, ctx.deps.policy), ctx.today);
    if (!slot) return [];
    const firing: Firing = {
      key: evidenceKey(doc.id, slot.key),
      late: slot.late && dayLate(ctx, slot.on),
    };
    return [{ ...firing, doc, slot }];
  });
  for (const plan of plans) {
    const { doc, slot } = plan;
    await fire(ctx, plan, async () => {
      if (!slot.opensFinding) {
        return remindAll(ctx, plan, await ownerOrRouting(ctx, doc), doc.vendor_id, { evidenceIds: [doc.id] });
      }
      const label = EVIDENCE_LABELS[doc.type as EvidenceType] ?? doc.type;
      const { finding } = await openFinding(ctx.tx, ctx.deps, SYSTEM_ACTOR, {
        vendorId: doc.vendor_id,
        dedupeKey: `evidence-expired:${doc.id}`,
        source: 'evidence',
        title: `${label} of ${doc.vendor_name} expired on ${doc.expires_on}`,
        detail:
          `The ${label} on record for ${doc.vendor_name} expired on ${doc.expires_on} and no renewal has been ` +
          'recorded. Until it is, the assurance it gave is gone. Ask the vendor for the renewed document and ' +
          'record it with the `evidence` command, then resolve this finding.',
        severity: OVERDUE_REVIEW_SEVERITY[doc.tier as Tier] ?? 'medium',
      });
      return { findingId: finding.id };
    });
  }
}
