import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assessmentsOwedBy, getAssessment } from '../../src/core/assessments/queries.ts';
import { loadQuestionnaire } from '../../src/core/assessments/questionnaire.ts';
import { requestReassessment, saveDraft } from '../../src/core/assessments/request.ts';
import type { AnswerInput } from '../../src/core/assessments/scoring.ts';
import { submit } from '../../src/core/assessments/submit.ts';
import { auditTrail } from '../../src/core/audit/log.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, olive, outbox, vendorRow, vic } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

const { controls } = loadQuestionnaire();
const ids = controls.map((c) => c.id);

function allYes(): Record<string, AnswerInput> {
  return Object.fromEntries(ids.map((id) => [id, { answer: 'yes' as const }]));
}

describe('reassessment', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    vendorId = await insertVendor(store, { tier: 'critical', nextReviewOn: '2026-06-20' });
  });
  afterEach(() => store.cleanup());

  it('is requested once per open cycle and prompts the vendor owner', async () => {
    const first = await inTransaction(store.deps.db, (tx) => requestReassessment(tx, store.deps, dana, vendorId));
    expect(first).toMatchObject({ created: true, assessment: { status: 'requested', due_on: '2026-06-20' } });
    const again = await inTransaction(store.deps.db, (tx) => requestReassessment(tx, store.deps, olive, vendorId));
    expect(again).toMatchObject({ created: false, assessment: { id: first.assessment.id } });
    const prompts = (await outbox(store)).filter((r) => r.template === 'reassessment-prompt');
    expect(prompts).toMatchObject([{ target: olive.id, data: JSON.stringify({ assessmentId: first.assessment.id }) }]);
    await expect(
      inTransaction(store.deps.db, (tx) => requestReassessment(tx, store.deps, vic, vendorId)),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives 14 days when the vendor has no upcoming review date, and prompts its channel when it has no owner', async () => {
    const orphan = await insertVendor(store, { name: 'Orphan Inc', owner: null, channel: 'slack:CORPHAN' });
    const { assessment } = await inTransaction(store.deps.db, (tx) =>
      requestReassessment(tx, store.deps, dana, orphan),
    );
    expect(assessment.due_on).toBe('2026-06-15');
    const prompts = (await outbox(store)).filter((r) => r.template === 'reassessment-prompt');
    expect(prompts.map((p) => p.target)).toEqual(['slack:CORPHAN']);
  });

  it('saves a partial draft, resumes it, then submits: failed controls open findings, the review date moves', async () => {
    const { assessment } = await inTransaction(store.deps.db, (tx) =>
      requestReassessment(tx, store.deps, dana, vendorId),
    );
    const draft = await inTransaction(store.deps.db, (tx) =>
      saveDraft(tx, store.deps, olive, assessment.id, {
        'mfa-admin': { answer: 'yes' },
        'encryption-at-rest': { answer: 'no', comment: 'Backups are plaintext' },
      }),
    );
    expect(draft).toMatchObject({ assessment: { status: 'in_progress' }, answered: 2, total: controls.length });

    // Resuming shows what was saved and what is left; a later save overwrites per control.
    const resumed = await getAssessment(store.db, assessment.id);
    expect(resumed.answers['encryption-at-rest']).toEqual({ answer: 'no', comment: 'Backups are plaintext' });
    expect(resumed.unanswered).toHaveLength(controls.length - 2);
    expect((await assessmentsOwedBy(store.db, olive.id)).map((a) => [a.id, a.vendor_name, a.answered])).toEqual([
      [assessment.id, 'Acme Health Cloud', 2],
    ]);
    await inTransaction(store.deps.db, (tx) =>
      saveDraft(tx, store.deps, olive, assessment.id, { 'mfa-admin': { answer: 'partial', comment: 'Rolling out' } }),
    );

    await expect(
      inTransaction(store.deps.db, (tx) =>
        submit(tx, store.deps, olive, assessment.id, { 'least-privilege': { answer: 'yes' } }),
      ),
    ).rejects.toThrow(/Still unanswered: .*Encryption in transit/);

    const rest = allYes();
    delete rest['mfa-admin'];
    delete rest['encryption-at-rest'];
    rest['tested-backups'] = { answer: 'n/a' };
    rest['config-drift'] = { answer: 'partial' };
    store.clock.advance(3_600_000);
    const result = await inTransaction(store.deps.db, (tx) => submit(tx, store.deps, olive, assessment.id, rest));

    expect(result.failedControls.map((f) => [f.control.id, f.severity])).toEqual([
      ['mfa-admin', 'high'],
      ['encryption-at-rest', 'critical'],
    ]);
    expect(result.findings.map((f) => [f.title, f.severity, f.state, f.source])).toEqual([
      ['Control only partly met: MFA on administrative access', 'high', 'open', 'questionnaire'],
      ['Control not met: Encryption at rest', 'critical', 'open', 'questionnaire'],
    ]);
    expect(result.findings[1]?.detail).toContain('Answer: no (Backups are plaintext)');
    expect(result.findings[1]?.detail).toContain('HIPAA 45 CFR 164.312(a)(2)(iv)');
    expect(result.score).toBeGreaterThan(50);
    expect(result.score).toBeLessThan(100);
    expect(result.assessment).toMatchObject({ status: 'submitted', submitted_by: olive.id, score: result.score });

    const vendor = await vendorRow(store, vendorId);
    expect(vendor).toMatchObject({ last_review_on: '2026-06-01', next_review_on: '2026-12-01' });
    expect((await auditTrail(store.db, 'vendor', vendorId)).map((a) => a.action)).toEqual(['vendor.review_completed']);
    expect((await assessmentsOwedBy(store.db, olive.id)).length).toBe(0);

    await expect(
      inTransaction(store.deps.db, (tx) =>
        saveDraft(tx, store.deps, olive, assessment.id, { 'mfa-admin': { answer: 'yes' } }),
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'Already submitted by Olive Owner at 2026-06-01 10:00 UTC.',
    });
  });

  it('keeps one finding per failing control across reassessments', async () => {
    const answers = { ...allYes(), 'baa-dpa': { answer: 'no' as const } };
    const first = await inTransaction(store.deps.db, (tx) => requestReassessment(tx, store.deps, dana, vendorId));
    const one = await inTransaction(store.deps.db, (tx) => submit(tx, store.deps, olive, first.assessment.id, answers));
    const second = await inTransaction(store.deps.db, (tx) => requestReassessment(tx, store.deps, dana, vendorId));
    expect(second.created).toBe(true);
    const two = await inTransaction(store.deps.db, (tx) =>
      submit(tx, store.deps, olive, second.assessment.id, answers),
    );
    expect(two.findings.map((f) => f.id)).toEqual(one.findings.map((f) => f.id));
  });

  it('refuses unknown controls and answers, and people who may not answer', async () => {
    const { assessment } = await inTransaction(store.deps.db, (tx) =>
      requestReassessment(tx, store.deps, dana, vendorId),
    );
    await expect(
      inTransaction(store.deps.db, (tx) =>
        saveDraft(tx, store.deps, olive, assessment.id, { 'no-such': { answer: 'yes' } }),
      ),
    ).rejects.toThrow(/no control “no-such”/);
    await expect(
      inTransaction(store.deps.db, (tx) =>
        saveDraft(tx, store.deps, olive, assessment.id, { 'mfa-admin': { answer: 'maybe' as 'yes' } }),
      ),
    ).rejects.toThrow(/Answer “MFA on administrative access” with one of yes, partial, no, n\/a/);
    await expect(
      inTransaction(store.deps.db, (tx) =>
        saveDraft(tx, store.deps, vic, assessment.id, { 'mfa-admin': { answer: 'yes' } }),
      ),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await getAssessment(store.db, assessment.id)).assessment.status).toBe('requested');
  });
});
