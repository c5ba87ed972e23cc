import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingState, Severity } from '../../src/core/common/vocabulary.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { openFinding } from '../../src/core/findings/actions.ts';
import { getPosture } from '../../src/core/posture/posture.ts';
import { recordSignal } from '../../src/core/signals/record.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createAnalystStore, dana } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('posture', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createAnalystStore();
    vendorId = (
      await inTransaction(store.deps.db, (tx) =>
        createVendor(tx, store.deps, dana, {
          name: 'TrialCloud',
          criticality: 'medium',
          dataTypes: ['PII'],
          lastReviewOn: '2025-05-20', // high tier: due 2026-05-20, 12 days overdue on 2026-06-01
        }),
      )
    ).id;
  });
  afterEach(() => store.cleanup());

  const finding = (key: string, severity: Severity, state: FindingState = 'open') =>
    inTransaction(store.db, async (tx) => {
      const { finding } = await openFinding(tx, store.deps, dana, {
        vendorId,
        dedupeKey: key,
        source: 'test',
        title: `Finding ${key}`,
        detail: 'detail',
        severity,
      });
      if (state !== 'open') await tx.updateTable('findings').set({ state }).where('id', '=', finding.id).execute();
    });

  const submittedAssessment = async (submittedAt: string, answers: Record<string, string>) => {
    const { id } = await store.db
      .insertInto('assessments')
      .values({
        vendor_id: vendorId,
        status: 'submitted',
        questionnaire_version: '2026.1',
        requested_by: dana.id,
        requested_at: submittedAt,
        due_on: '2026-06-30',
        submitted_by: dana.id,
        submitted_at: submittedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [control_id, answer] of Object.entries(answers)) {
      await store.db
        .insertInto('assessment_answers')
        .values({ assessment_id: id, control_id, answer, answered_by: dana.id, answered_at: submittedAt })
        .execute();
    }
  };

  it('is a clean 100 for a vendor with nothing against it', async () => {
    const clean = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'Clean Co', criticality: 'low', lastReviewOn: '2026-03-01' }),
    );
    const posture = await getPosture(store.db, store.deps, clean.id, '2026-06-01');
    expect(posture).toMatchObject({ score: 100, grade: 'A', residual: 'low', drivers: [], overdue: false });
    expect(posture.evidence.every((e) => e.status === 'missing')).toBe(true);
  });

  it('never grades a new PHI vendor without a BAA and without an assessment A, and says what is missing', async () => {
    const phi = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, { name: 'New Lab', criticality: 'low', dataTypes: ['PHI'] }),
    );
    const posture = await getPosture(store.db, store.deps, phi.id, '2026-06-01');
    expect(posture.assessed).toBe(false);
    expect(posture.grade).not.toBe('A');
    // PHI makes it a high tier vendor: a BAA, SOC 2 or ISO 27001 and a recent pen test are required.
    expect(posture.drivers.map((d) => [d.label, d.points, d.from])).toEqual([
      ['Required evidence missing: HIPAA BAA', -15, 'required-evidence policy'],
      ['Required evidence missing: SOC 2 Type II or ISO 27001', -15, 'required-evidence policy'],
      ['Required evidence missing: Penetration test', -15, 'required-evidence policy'],
      ['Not yet assessed', 0, 'no completed review'],
    ]);
    expect(posture).toMatchObject({ score: 55, grade: 'F' });
    // The documents recorded satisfy the rules; the score is still capped until a first review.
    for (const [type, issuedOn] of [
      ['HIPAA BAA', undefined],
      ['SOC 2 Type II', undefined],
      ['Penetration test', '2026-03-01'],
    ] as const) {
      await inTransaction(store.deps.db, (tx) =>
        recordEvidence(tx, store.deps, dana, { vendorId: phi.id, type, issuedOn, expiresOn: '2027-06-01' }),
      );
    }
    const documented = await getPosture(store.db, store.deps, phi.id, '2026-06-01');
    expect(documented.requiredEvidence.map((r) => r.satisfiedBy?.type)).toEqual(['hipaa_baa', 'soc2_type2', 'pentest']);
    expect(documented.drivers.map((d) => [d.label, d.points])).toEqual([['Not yet assessed', -21]]);
    expect(documented).toMatchObject({ score: 79, grade: 'C', assessed: false });
  });

  it('shows each cause once with where it comes from, and the drivers add up to the score', async () => {
    await finding('a', 'high');
    await finding('b', 'high', 'acknowledged');
    await finding('c', 'low', 'escalated');
    await finding('d', 'critical', 'resolved'); // resolved: no longer counts
    await finding('e', 'critical', 'risk_accepted'); // accepted: no longer counts
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'ISO 27001', expiresOn: '2026-04-30' }),
    );
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'SOC 2 Type II', expiresOn: '2026-06-20' }),
    );
    // Only the latest submitted assessment counts.
    await submittedAssessment('2025-05-20T10:00:00Z', { 'mfa-admin': 'no', 'config-drift': 'no' });
    await submittedAssessment('2026-01-10T10:00:00Z', {
      'mfa-admin': 'yes',
      'tested-backups': 'partial',
      'config-drift': 'no',
    });
    await inTransaction(store.deps.db, (tx) =>
      recordSignal(tx, store.deps, dana, {
        vendorId,
        source: 'ratings',
        externalId: 'r1',
        kind: 'rating_change',
        severity: 'low',
        summary: 'Rating changed',
        details: { rating: 'C' },
        observedAt: '2026-05-28T00:00:00Z',
      }),
    );

    const posture = await getPosture(store.db, store.deps, vendorId, '2026-06-01');
    expect(posture.openFindings).toEqual({ critical: 0, high: 2, medium: 0, low: 1 });
    expect(posture.drivers.map((d) => [d.label, d.points, d.from])).toEqual([
      ['Finding a', -12, expect.stringMatching(/^finding #\d+$/)],
      ['Finding b', -12, expect.stringMatching(/^finding #\d+$/)],
      ['Finding c', -2, expect.stringMatching(/^finding #\d+$/)],
      // High tier: a pen test within 12 months is required and none is on record.
      ['Required evidence missing: Penetration test', -15, 'required-evidence policy'],
      ['ISO 27001 expired', -8, 'evidence on record'],
      ['Reassessment overdue', -10, 'review schedule'],
      ['Control not met: Configuration drift monitoring', -6, 'latest questionnaire'], // weight 3 x 2
      ['Control only partly met: Tested backups', -4, 'latest questionnaire'], // weight 4 x 2 / 2
      ['External security rating C', -8, 'rating signal from ratings'],
    ]);
    expect(posture.score).toBe(100 + posture.drivers.reduce((sum, d) => sum + d.points, 0));
    expect(posture).toMatchObject({
      score: 23,
      grade: 'F',
      residual: 'critical',
      overdue: true,
      overdueDays: 12,
      lastReviewOn: '2025-05-20',
      nextReviewOn: '2026-05-20',
    });
    expect(posture.evidence.find((e) => e.type === 'soc2_type2')?.status).toBe('expiring');
  });

  it('says plainly when the vendor does not exist', async () => {
    await expect(getPosture(store.db, store.deps, 999, '2026-06-01')).rejects.toThrow('There is no vendor #999.');
  });
});
