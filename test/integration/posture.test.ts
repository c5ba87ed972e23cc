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
      createVendor(tx, store.deps, dana, { name: 'Clean Co', criticality: 'low' }),
    );
    const posture = await getPosture(store.db, store.deps, clean.id, '2026-06-01');
    expect(posture).toMatchObject({ score: 100, grade: 'A', residual: 'low', drivers: [], overdue: false });
    expect(posture.evidence.every((e) => e.status === 'missing')).toBe(true);
  });

  it('shows each deduction, and the drivers add up to the score', async () => {
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
    expect(posture.drivers.map((d) => [d.label, d.points])).toEqual([
      ['2 open high findings', -24],
      ['1 open low finding', -2],
      ['ISO 27001 expired', -8],
      ['Reassessment overdue', -10],
      ['2 questionnaire controls not met', -10], // config drift: 3 x 2; tested backups: 4 x 2 / 2
      ['External security rating C', -8],
    ]);
    expect(posture.drivers[4]?.detail).toBe(
      'Configuration drift monitoring (no, weight 3): -6; Tested backups (partial, weight 4): -4',
    );
    expect(posture.score).toBe(100 + posture.drivers.reduce((sum, d) => sum + d.points, 0));
    expect(posture).toMatchObject({
      score: 38,
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
