import type SqliteDatabase from 'better-sqlite3';
import { questionnaireOf } from '../src/core/assessments/questionnaire.ts';
import { daysBetween } from '../src/core/common/dates.ts';
import type { CoreDeps } from '../src/core/common/deps.ts';
import { requiredEvidenceOf, requiredEvidenceRules } from '../src/core/evidence/required.ts';
import { evidenceStatus } from '../src/core/evidence/status.ts';
import { ACTIVE_STATES } from '../src/core/findings/states.ts';
import { findingFacts, ratingFrom } from '../src/core/posture/posture.ts';
import { type FailedAnswer, scorePosture } from '../src/core/posture/score.ts';
import { parseTier } from '../src/core/vendors/input.ts';
import { planReview } from '../src/scheduler/review-trigger.ts';
import type { EvidenceRow, VendorRow } from '../src/store/tables.ts';

// The floors of the store benchmark: the statements each measured read needs, written by hand on raw
// better-sqlite3 and prepared once, followed by the same pure work (scoring, planning) as ours. What
// is left between ours and the floor is the query layer: kysely, its statement cache, row mapping.

const active = ACTIVE_STATES.map((s) => `'${s}'`).join(', ');

export const FLOOR_SQL = {
  vendor: 'select * from vendors where id = ?',
  open: `select id, severity, source, dedupe_key, title, opened_at from findings where vendor_id = ? and state in (${active})
    order by id`,
  evidence: 'select * from evidence where vendor_id = ?',
  failed: `select control_id, answer from assessment_answers where assessment_id = (select id from assessments
    where vendor_id = ? and status = 'submitted' order by submitted_at desc, id desc limit 1) and answer in ('no', 'partial')`,
  rating: `select details, source, observed_at, finding_id from signals where vendor_id = ? and kind = 'rating_change'
    order by received_at desc, id desc limit 1`,
  overdue: `select * from vendors where next_review_on < ? and status in ('onboarding', 'active')
    order by next_review_on, name_key limit 20 offset 0`,
  overdueCount: `select count(*) as n from vendors where next_review_on < ? and status in ('onboarding', 'active')`,
  due: `select id, name, tier, owner_id, channel, next_review_on from vendors where status in ('onboarding', 'active')
    and next_review_on is not null and next_review_on <= ? order by next_review_on, id`,
} as const;

export function rawFloors(raw: SqliteDatabase.Database, deps: CoreDeps, today: string) {
  const q = Object.fromEntries(Object.entries(FLOOR_SQL).map(([k, sql]) => [k, raw.prepare(sql)])) as Record<
    keyof typeof FLOOR_SQL,
    SqliteDatabase.Statement
  >;
  const byId = questionnaireOf(deps).byId;
  const fired = new Map<number, SqliteDatabase.Statement>();
  const firedStatement = (n: number) => {
    let s = fired.get(n);
    if (!s) {
      s = raw.prepare(`select key from fired_triggers where key in (${Array(n).fill('?').join(', ')})`);
      fired.set(n, s);
    }
    return s;
  };
  const dueVendors = (horizon: string) => q.due.all(horizon) as Parameters<typeof planReview>[0][];
  const plan = (vendors: Parameters<typeof planReview>[0][]) =>
    vendors.flatMap((v) => planReview(v, { today, deps })).map((p) => p.key);
  const unfired = (keys: string[]) => {
    const open = new Set(keys);
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      for (const row of firedStatement(chunk.length).all(...chunk) as { key: string }[]) open.delete(row.key);
    }
    return open;
  };
  /** In a write transaction like the sweep's: due vendors, their plans, the keys not fired yet. */
  const due = raw.transaction((horizon: string) => unfired(plan(dueVendors(horizon))));
  return {
    posture(vendorId: number) {
      const vendor = q.vendor.get(vendorId) as VendorRow;
      const findings = findingFacts(q.open.all(vendorId) as Parameters<typeof findingFacts>[0]);
      const evidenceRows = q.evidence.all(vendorId) as EvidenceRow[];
      const evidence = evidenceStatus(evidenceRows, today, deps.policy);
      const required = requiredEvidenceOf(requiredEvidenceRules(deps.policy, vendor), evidenceRows, today);
      const failedControls = (q.failed.all(vendorId) as { control_id: string; answer: 'no' | 'partial' }[]).map(
        (a): FailedAnswer => {
          const c = byId.get(a.control_id);
          return { id: a.control_id, title: c?.title ?? a.control_id, weight: c?.weight ?? 3, answer: a.answer };
        },
      );
      const ratingRow = q.rating.get(vendorId) as Parameters<typeof ratingFrom>[0];
      const nextReview = vendor.status === 'offboarded' ? null : vendor.next_review_on;
      const scored = scorePosture(
        {
          tier: parseTier(vendor.tier),
          today,
          findings,
          evidence,
          nextReviewOn: nextReview,
          lastReviewOn: vendor.last_review_on,
          failedControls,
          externalRating: ratingFrom(ratingRow),
          requiredMissing: required.filter((r) => !r.satisfiedBy).map((r) => r.rule),
          assessed: vendor.last_review_on !== null,
        },
        deps.policy,
      );
      return { ...scored, overdueDays: nextReview ? Math.max(0, daysBetween(nextReview, today)) : 0 };
    },
    overdue() {
      return { rows: q.overdue.all(today), total: (q.overdueCount.get(today) as { n: number }).n };
    },
    due: (horizon: string) => due.immediate(horizon),
    /** The three parts of `due`, for a breakdown of where its time goes. */
    dueParts: { dueVendors, plan, unfired },
  };
}
