import type { DemoFinding, DemoVendor, Portfolio } from './portfolio.ts';

// Turns the portfolio into the order things would really have happened in: vendors added, reviews
// done, evidence filed, reassessments answered, monitoring signals received and findings worked
// through their states by the personas. Pure; seed.ts replays the steps with the clock set to each
// step's day, so the audit trail reads like weeks of real use and every time in it is in the past.

export type FindingStep = 'open' | 'acknowledge' | 'assign' | 'request' | 'approve' | 'propose' | 'verify';

export type Step =
  | { kind: 'vendor'; vendor: DemoVendor; withLastReview: boolean }
  | { kind: 'reviewed'; vendor: DemoVendor; day: number }
  | { kind: 'evidence'; vendor: DemoVendor; index: number }
  | { kind: 'assessment_request'; vendor: DemoVendor }
  | { kind: 'assessment_submit'; vendor: DemoVendor }
  | { kind: 'signal'; vendor: DemoVendor; index: number }
  | { kind: 'finding'; vendor: DemoVendor; index: number; finding: DemoFinding; step: FindingStep }
  /** The daily posture snapshot the scheduler takes, so the demo has a score history and its drift. */
  | { kind: 'snapshots' };

export interface TimedStep {
  day: number;
  step: Step;
}

/** The steps that take a finding from nothing to its demo state, and how many days after opening each comes. */
const PATHS: Record<DemoFinding['state'], [FindingStep, number][]> = {
  open: [['open', 0]],
  acknowledged: [
    ['open', 0],
    ['acknowledge', 1],
  ],
  assigned: [
    ['open', 0],
    ['acknowledge', 1],
    ['assign', 2],
  ],
  escalation_pending: [
    ['open', 0],
    ['acknowledge', 1],
    ['request', 3],
  ],
  escalated: [
    ['open', 0],
    ['acknowledge', 1],
    ['request', 3],
    ['approve', 4],
  ],
  risk_accepted: [
    ['open', 0],
    ['acknowledge', 1],
    ['request', 3],
    ['approve', 4],
  ],
  fix_proposed: [
    ['open', 0],
    ['acknowledge', 1],
    ['assign', 2],
    ['propose', 4],
  ],
  resolved: [
    ['open', 0],
    ['acknowledge', 1],
    ['assign', 2],
    ['propose', 5],
    ['verify', 6],
  ],
};

/** Days of posture history before today: twice the default drift window, so a trend is visible. */
export const SNAPSHOT_DAYS = 14;

/** The day the inventory is set up: the day before the earliest activity in the portfolio. */
export function setupDay(portfolio: Portfolio): number {
  const days = portfolio.vendors.flatMap((v) => [
    ...v.findings.map((f) => f.opened),
    ...v.signals.map((s) => s.observed),
    ...(v.assessment ? [v.assessment.requested] : []),
  ]);
  return Math.min(-30, ...days) - 1;
}

export function planTimeline(portfolio: Portfolio): TimedStep[] {
  const setup = setupDay(portfolio);
  const steps: TimedStep[] = [];
  const at = (day: number, step: Step) => steps.push({ day: Math.min(day, 0), step });
  for (const vendor of portfolio.vendors) {
    const reviewLater = vendor.lastReview !== undefined && vendor.lastReview > setup;
    at(setup, { kind: 'vendor', vendor, withLastReview: !reviewLater });
    if (reviewLater && vendor.lastReview !== undefined) {
      at(vendor.lastReview, { kind: 'reviewed', vendor, day: vendor.lastReview });
    }
    vendor.evidence.forEach((e, index) => {
      at(Math.max(e.issued, setup), { kind: 'evidence', vendor, index });
    });
    if (vendor.assessment) {
      at(vendor.assessment.requested, { kind: 'assessment_request', vendor });
      if (vendor.assessment.submitted !== undefined) {
        at(vendor.assessment.submitted, { kind: 'assessment_submit', vendor });
      }
    }
    vendor.signals.forEach((s, index) => {
      at(s.observed, { kind: 'signal', vendor, index });
    });
    vendor.findings.forEach((finding, index) => {
      for (const [step, after] of PATHS[finding.state]) {
        at(finding.opened + after, { kind: 'finding', vendor, index, finding, step });
      }
    });
  }
  for (let day = 1 - SNAPSHOT_DAYS; day <= 0; day++) at(day, { kind: 'snapshots' });
  // Stable: steps of one day keep the order they were planned in (a finding opens before it is acknowledged).
  return steps
    .map((s, order) => ({ s, order }))
    .sort((a, b) => a.s.day - b.s.day || a.order - b.order)
    .map((x) => x.s);
}
