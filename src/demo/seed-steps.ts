import { decide } from '../core/approvals/decide.ts';
import { requestEscalation } from '../core/approvals/request.ts';
import { questionnaireOf } from '../core/assessments/questionnaire.ts';
import { requestReassessment } from '../core/assessments/request.ts';
import { submit } from '../core/assessments/submit.ts';
import { type Actor, SYSTEM_ACTOR } from '../core/common/actor.ts';
import { addDaysIso, todayOf } from '../core/common/dates.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { recordEvidence } from '../core/evidence/record.ts';
import { acknowledge, assign, openFinding } from '../core/findings/actions.ts';
import { proposeFix, verifyFix } from '../core/findings/verified-closure.ts';
import { IN_CADENCE } from '../core/lifecycle/states.ts';
import { recordPostureSnapshot } from '../core/posture/drift.ts';
import { recordSignal } from '../core/signals/record.ts';
import { markReviewed } from '../core/vendors/admin.ts';
import { addAsset } from '../core/vendors/assets.ts';
import { createVendor } from '../core/vendors/create-update.ts';
import type { Tx } from '../store/database.ts';
import type { DemoVendor } from './portfolio.ts';
import type { Step } from './timeline.ts';

// Replays one planned step through the core's own `...In` functions, as the persona who would do it:
// the analyst keeps the inventory and raises findings, vendor owners file evidence and work their
// findings, the approver signs decisions, monitoring signals arrive as the bot itself.

export interface SeedContext {
  tx: Tx;
  /** The core's dependencies with the replay clock and the demo routing. */
  deps: CoreDeps;
  /** The anchor day (today) that the portfolio's relative days count from. */
  today: string;
  people: Map<string, Actor>;
  analyst: Actor;
  approver: Actor;
  vendorIds: Map<string, number>;
  findingIds: Map<string, number>;
  requestIds: Map<string, number>;
  assessmentIds: Map<string, number>;
}

const dateOf = (ctx: SeedContext, day: number) => addDaysIso(ctx.today, day);

function person(ctx: SeedContext, principal: string): Actor {
  const found = ctx.people.get(principal);
  if (!found) throw new Error(`${principal} is not one of the demo people`);
  return found;
}

function vendorId(ctx: SeedContext, vendor: DemoVendor): number {
  const id = ctx.vendorIds.get(vendor.name);
  if (id === undefined) throw new Error(`${vendor.name} has not been created yet`);
  return id;
}

async function seedVendor(ctx: SeedContext, vendor: DemoVendor, withLastReview: boolean): Promise<void> {
  const row = await createVendor(ctx.tx, ctx.deps, ctx.analyst, {
    name: vendor.name,
    services: vendor.services,
    dataTypes: vendor.data,
    criticality: vendor.criticality,
    regulatoryScope: vendor.regs,
    ownerId: vendor.owner,
    status: vendor.status,
    contractStart: vendor.contract ? dateOf(ctx, vendor.contract.start) : null,
    contractEnd: vendor.contract ? dateOf(ctx, vendor.contract.end) : null,
    lastReviewOn: withLastReview && vendor.lastReview !== undefined ? dateOf(ctx, vendor.lastReview) : null,
    tierOverride: vendor.tier ?? null,
  });
  ctx.vendorIds.set(vendor.name, row.id);
  for (const value of vendor.assets) await addAsset(ctx.tx, ctx.deps, ctx.analyst, { vendorId: row.id, value });
}

async function findingStep(ctx: SeedContext, step: Extract<Step, { kind: 'finding' }>): Promise<void> {
  const { vendor, finding, index } = step;
  const key = `${vendor.name}#${index}`;
  const owner = person(ctx, vendor.owner);
  const id = ctx.findingIds.get(key);
  if (step.step === 'open') {
    const opened = await openFinding(ctx.tx, ctx.deps, ctx.analyst, {
      vendorId: vendorId(ctx, vendor),
      dedupeKey: `analyst:${vendorId(ctx, vendor)}:${index + 1}`,
      source: 'analyst',
      title: finding.title,
      detail: finding.detail ?? `Raised by ${ctx.analyst.name} while reviewing ${vendor.name}.`,
      severity: finding.severity,
    });
    ctx.findingIds.set(key, opened.finding.id);
    return;
  }
  if (id === undefined) throw new Error(`finding ${key} was not opened first`);
  switch (step.step) {
    case 'acknowledge':
      await acknowledge(ctx.tx, ctx.deps, owner, id);
      return;
    case 'assign':
      await assign(ctx.tx, ctx.deps, ctx.analyst, id, person(ctx, finding.assignee ?? vendor.owner));
      return;
    case 'request': {
      const accept = finding.state === 'risk_accepted';
      const { request } = await requestEscalation(ctx.tx, ctx.deps, ctx.analyst, id, {
        requestedAction: accept ? 'accept_risk' : (finding.action ?? 'remediation_deadline'),
        reason: finding.reason ?? '',
        actionUntil: finding.until === undefined ? null : dateOf(ctx, finding.until),
      });
      ctx.requestIds.set(key, request.id);
      return;
    }
    case 'approve': {
      const requestId = ctx.requestIds.get(key);
      if (requestId === undefined) throw new Error(`finding ${key} has no request to approve`);
      await decide(ctx.tx, ctx.deps, ctx.approver, requestId, { decision: 'approve' });
      return;
    }
    case 'propose':
      await proposeFix(ctx.tx, ctx.deps, owner, id, { note: finding.resolution ?? '' });
      return;
    case 'verify':
      await verifyFix(ctx.tx, ctx.deps, ctx.analyst, id);
      return;
  }
}

/** The full answer set: "yes" to every control except those the portfolio names. */
function answersFor(ctx: SeedContext, vendor: DemoVendor) {
  const given = vendor.assessment?.answers ?? {};
  return Object.fromEntries(
    questionnaireOf(ctx.deps).controls.map((c) => [c.id, given[c.id] ?? { answer: 'yes' as const }]),
  );
}

export async function runStep(ctx: SeedContext, step: Step): Promise<void> {
  switch (step.kind) {
    case 'vendor':
      return seedVendor(ctx, step.vendor, step.withLastReview);
    case 'reviewed':
      await markReviewed(ctx.tx, ctx.deps, ctx.analyst, {
        vendorId: vendorId(ctx, step.vendor),
        reviewedOn: dateOf(ctx, step.day),
      });
      return;
    case 'evidence': {
      const e = step.vendor.evidence[step.index]!;
      await recordEvidence(ctx.tx, ctx.deps, person(ctx, step.vendor.owner), {
        vendorId: vendorId(ctx, step.vendor),
        type: e.type,
        issuedOn: dateOf(ctx, e.issued),
        expiresOn: dateOf(ctx, e.expires),
        url: e.url ?? null,
      });
      return;
    }
    case 'assessment_request': {
      const id = vendorId(ctx, step.vendor);
      const { assessment } = await requestReassessment(ctx.tx, ctx.deps, ctx.analyst, id);
      ctx.assessmentIds.set(step.vendor.name, assessment.id);
      return;
    }
    case 'assessment_submit': {
      const assessmentId = ctx.assessmentIds.get(step.vendor.name);
      if (assessmentId === undefined) throw new Error(`${step.vendor.name} has no reassessment to submit`);
      const owner = person(ctx, step.vendor.owner);
      await submit(ctx.tx, ctx.deps, owner, assessmentId, answersFor(ctx, step.vendor));
      return;
    }
    case 'signal': {
      const { observed: _day, ...signal } = step.vendor.signals[step.index]!;
      // The scanner saw it a little before the webhook delivered it.
      const observedAt = new Date(ctx.deps.clock.now().getTime() - 20 * 60_000).toISOString();
      await recordSignal(ctx.tx, ctx.deps, SYSTEM_ACTOR, {
        ...signal,
        vendorId: vendorId(ctx, step.vendor),
        observedAt,
      });
      return;
    }
    case 'finding':
      return findingStep(ctx, step);
    case 'snapshots': {
      const inService = await ctx.tx
        .selectFrom('vendors')
        .select('id')
        .where('status', 'in', IN_CADENCE)
        .orderBy('id')
        .execute();
      for (const { id } of inService) {
        await recordPostureSnapshot(ctx.tx, ctx.deps, SYSTEM_ACTOR, id, todayOf(ctx.deps));
      }
      return;
    }
  }
}
