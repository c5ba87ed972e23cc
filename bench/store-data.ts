import type SqliteDatabase from 'better-sqlite3';
import { questionnaireOf } from '../src/core/assessments/questionnaire.ts';
import { GENESIS_HASH, hashAuditRow } from '../src/core/audit/log.ts';
import { canonicalJson } from '../src/core/common/canonical.ts';
import { addDaysIso } from '../src/core/common/dates.ts';
import {
  type Criticality,
  type DataType,
  EVIDENCE_TYPES,
  type Severity,
  type Tier,
} from '../src/core/common/vocabulary.ts';
import { autoEscalationOn, nextReviewOn, reviewReminderSlots } from '../src/core/policy/cadence.ts';
import { DEFAULT_POLICY } from '../src/core/policy/policy.ts';
import { deriveTier } from '../src/core/vendors/tier.ts';

// The store benchmark's data set, loaded with raw inserts in two big transactions. Rows carry what the
// core writes (JSON lists, derived tiers, review dates by cadence, a valid audit hash chain), and the
// scheduler's fired_triggers hold every review slot before today, as a daily sweep would have left them.

export const VENDORS = 10_000;
export const FINDINGS = 100_000;
const VENDOR_COUNT = VENDORS;
const FINDING_COUNT = FINDINGS;
/** Two per finding: its opening and one later step. */
export const AUDIT_ROWS = FINDINGS * 2;
export const NOW = '2026-06-01T09:00:00.000Z';
export const TODAY = NOW.slice(0, 10);

/** A small seeded generator (mulberry32): the same data set on every run. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DATA: DataType[][] = [['PHI'], ['PII'], ['PII', 'confidential'], ['confidential'], ['none']];
const STATES: [string, number][] = [
  ['resolved', 0.7],
  ['risk_accepted', 0.75],
  ['open', 0.85],
  ['acknowledged', 0.9],
  ['assigned', 0.96],
  ['escalation_pending', 0.98],
  ['escalated', 1],
];
/** The step that left a finding in each state (an open one was reopened after its acceptance ran out). */
const STEP_TO: Record<string, string> = {
  resolved: 'resolve',
  risk_accepted: 'approve_acceptance',
  open: 'reopen',
  acknowledged: 'acknowledge',
  assigned: 'assign',
  escalation_pending: 'escalate',
  escalated: 'approve_escalation',
};
const SEVERITY: Severity[] = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low'];

/** How much to load; the store benchmark's defaults unless a benchmark needs another scale. */
export interface StoreScale {
  vendors: number;
  findings: number;
  /** Write the findings' hash-chained audit rows (benchmarks that never read them can skip the hashing). */
  audit: boolean;
}

export function loadStoreData(
  raw: SqliteDatabase.Database,
  { vendors: VENDORS, findings: FINDINGS, audit: withAudit }: StoreScale = {
    vendors: VENDOR_COUNT,
    findings: FINDING_COUNT,
    audit: true,
  },
): void {
  const r = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const insertVendor = raw.prepare(`insert into vendors (id, name, name_key, services, data_types, criticality,
    tier, regulatory_scope, owner_id, status, last_review_on, next_review_on, created_at, updated_at)
    values (?, ?, ?, 'Clinical services', ?, ?, ?, '["GDPR"]', ?, ?, ?, ?, ?, ?)`);
  const insertEvidence = raw.prepare(`insert into evidence (vendor_id, type, issued_on, expires_on, recorded_by,
    created_at, updated_at) values (?, ?, ?, ?, 'slack:UANALYST', ?, ?)`);
  const insertSignal = raw.prepare(`insert into signals (vendor_id, source, external_id, kind, severity, summary,
    details, observed_at, received_at) values (?, 'ratings', ?, 'rating_change', 'medium', 'Rating changed', ?, ?, ?)`);
  const insertAssessment = raw.prepare(`insert into assessments (id, vendor_id, status, questionnaire_version,
    requested_by, requested_at, due_on, submitted_by, submitted_at, score)
    values (?, ?, 'submitted', '2026.1', 'slack:UANALYST', ?, ?, 'slack:UOWNER', ?, 80)`);
  const insertAnswer = raw.prepare(`insert into assessment_answers (assessment_id, control_id, answer, answered_by,
    answered_at) values (?, ?, ?, 'slack:UOWNER', ?)`);
  const insertFired = raw.prepare('insert into fired_triggers (key, fired_at, late) values (?, ?, 0)');
  const controls = questionnaireOf({}).controls.map((c) => c.id);
  raw.transaction(() => {
    for (let id = 1; id <= VENDORS; id++) {
      const data = pick(DATA);
      const criticality = pick<Criticality>(['high', 'medium', 'low']);
      const tier: Tier = deriveTier(data, criticality);
      const months = DEFAULT_POLICY.reassessmentMonths[tier];
      // Reviews spread over the cadence, some up to 60 days late: a realistic share is due or overdue.
      const last = addDaysIso(TODAY, -Math.floor(r() * (months * 30 + 60)));
      const next = nextReviewOn(last, tier, DEFAULT_POLICY);
      const status = r() < 0.95 ? 'active' : r() < 0.6 ? 'onboarding' : 'offboarded';
      const name = `Vendor ${String(id).padStart(5, '0')} Ltd`;
      insertVendor.run(
        id,
        name,
        name.toLowerCase(),
        JSON.stringify(data),
        criticality,
        tier,
        `slack:U${String(id % 300).padStart(4, '0')}`,
        status,
        last,
        next,
        NOW,
        NOW,
      );
      EVIDENCE_TYPES.slice(0, 3).forEach((type, k) => {
        const issued = addDaysIso(TODAY, -Math.floor(r() * 700) - k);
        insertEvidence.run(id, type, issued, addDaysIso(issued, 365 + k), NOW, NOW);
      });
      if (r() < 0.2) insertSignal.run(id, `r-${id}`, JSON.stringify({ rating: pick(['A', 'B', 'C', 'D']) }), NOW, NOW);
      if (r() < 0.3) {
        insertAssessment.run(id, id, NOW, TODAY, NOW);
        for (const c of controls) insertAnswer.run(id, c, r() < 0.1 ? pick(['no', 'partial']) : 'yes', NOW);
      }
      // The daily sweep already fired every slot before today, and any escalation already due.
      for (const slot of reviewReminderSlots(next, DEFAULT_POLICY, TODAY)) {
        if (slot.on < TODAY) insertFired.run(`review:${id}:${next}:${slot.key}`, NOW);
      }
      if (autoEscalationOn(next, DEFAULT_POLICY) < TODAY) insertFired.run(`review:${id}:${next}:escalate`, NOW);
    }
  })();
  const insertFinding = raw.prepare(`insert into findings (id, vendor_id, dedupe_key, source, title, detail, severity,
    state, assignee_id, opened_at, sla_due_on, resolved_by, resolved_at, resolution, updated_at, version)
    values (?, ?, ?, 'analyst', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAudit = raw.prepare(`insert into audit_log (seq, at, actor_id, actor_name, action, entity_type,
    entity_id, before, after, reason, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let seq = 0;
  let prev = GENESIS_HASH;
  const audit = (action: string, id: number, before: unknown, after: unknown) => {
    if (!withAudit) return;
    const row = {
      seq: ++seq,
      at: NOW,
      actor_id: 'slack:UANALYST',
      actor_name: 'Dana Reyes',
      action,
      entity_type: 'finding',
      entity_id: String(id),
      before: before === null ? null : canonicalJson(before),
      after: canonicalJson(after),
      reason: null,
      prev_hash: prev,
    };
    prev = hashAuditRow(row);
    insertAudit.run(...Object.values(row), prev);
  };
  raw.transaction(() => {
    for (let id = 1; id <= FINDINGS; id++) {
      // Findings bunch on some vendors, as in real portfolios.
      const vendor = 1 + Math.floor(VENDORS * r() ** 2);
      const draw = r();
      const state = STATES.find(([, upTo]) => draw < upTo)![0];
      const severity = pick(SEVERITY);
      const done = state === 'resolved';
      const row = [
        id,
        vendor,
        `analyst:${vendor}:${id}`,
        `Access review ${id}: a leaver's account still active`,
        'Found during the quarterly access review; the account can still reach study data.',
        severity,
        state,
        state === 'assigned' ? 'slack:UOWNER' : null,
        NOW,
        addDaysIso(TODAY, 30),
        done ? 'slack:UOWNER' : null,
        done ? NOW : null,
        done ? 'Account removed.' : null,
        NOW,
        2,
      ] as const;
      insertFinding.run(...row);
      audit('finding.open', id, null, { id, vendor_id: vendor, severity, state: 'open', version: 1 });
      audit(`finding.${STEP_TO[state]}`, id, { state: 'open', version: 1 }, { state, version: 2 });
    }
  })();
}
