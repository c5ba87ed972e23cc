import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escalateOverdueReview } from '../../src/core/approvals/auto-escalate.ts';
import { loadQuestionnaire } from '../../src/core/assessments/questionnaire.ts';
import { requestReassessment } from '../../src/core/assessments/request.ts';
import type { AnswerInput } from '../../src/core/assessments/scoring.ts';
import { submit } from '../../src/core/assessments/submit.ts';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { openExpiredEvidenceFinding } from '../../src/core/evidence/expiry.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { openRequiredEvidenceFindings } from '../../src/core/evidence/required-findings.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, olive } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// Findings the bot derives from a condition close themselves when the condition ends, and whatever waited
// on them for an approver is withdrawn by the system, with the reason in the audit trail.

const allYes = (): Record<string, AnswerInput> =>
  Object.fromEntries(loadQuestionnaire().controls.map((c) => [c.id, { answer: 'yes' as const }]));

describe('derived findings close themselves', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    vendorId = await insertVendor(store, { name: 'Acme Health Cloud', tier: 'critical', nextReviewOn: '2026-05-01' });
  });
  afterEach(() => store.cleanup());

  const finding = (id: number) =>
    store.db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const withdrawals = () =>
    store.db.selectFrom('audit_log').select(['actor_id', 'reason']).where('action', '=', 'approval.withdraw').execute();

  it('closes "reassessment overdue" when the reassessment is submitted, withdrawing its escalation', async () => {
    const vendor = { id: vendorId, name: 'Acme Health Cloud', tier: 'critical' };
    const { finding: overdue, escalation } = await inTransaction(store.db, (tx) =>
      escalateOverdueReview(tx, store.deps, vendor, '2026-05-01'),
    );
    expect(escalation?.request.state).toBe('pending');
    const { assessment } = await inTransaction(store.db, (tx) => requestReassessment(tx, store.deps, dana, vendorId));
    await inTransaction(store.db, (tx) => submit(tx, store.deps, olive, assessment.id, allYes()));
    expect(await finding(overdue.id)).toMatchObject({
      state: 'resolved',
      resolved_by: 'system',
      resolution: `Reassessment #${assessment.id} submitted on 2026-06-01`,
    });
    const request = await store.db
      .selectFrom('approval_requests')
      .select('state')
      .where('finding_id', '=', overdue.id)
      .executeTakeFirstOrThrow();
    expect(request.state).toBe('withdrawn');
    expect(await withdrawals()).toEqual([
      { actor_id: 'system', reason: `Withdrawn by the system: Reassessment #${assessment.id} submitted on 2026-06-01` },
    ]);
  });

  it('closes "evidence expired" when the document is renewed, and "required evidence missing" when it is recorded', async () => {
    const old = await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'Penetration test', expiresOn: '2026-05-15' }),
    );
    const expired = await inTransaction(store.db, (tx) =>
      openExpiredEvidenceFinding(tx, store.deps, SYSTEM_ACTOR, old.evidence.id),
    );
    const required = await inTransaction(store.db, (tx) => openRequiredEvidenceFindings(tx, store.deps, vendorId));
    // PHI (BAA) and critical tier (SOC 2 or ISO 27001); the pen test has its own expiry finding already.
    expect(required.map((f) => f.title)).toEqual([
      'Acme Health Cloud: required evidence missing: HIPAA BAA',
      'Acme Health Cloud: required evidence missing: SOC 2 Type II or ISO 27001',
    ]);
    // Asked once: a second sweep opens nothing new.
    expect(await inTransaction(store.db, (tx) => openRequiredEvidenceFindings(tx, store.deps, vendorId))).toEqual([]);

    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, {
        vendorId,
        type: 'Penetration test',
        issuedOn: '2026-05-20',
        expiresOn: '2027-05-20',
      }),
    );
    expect(await finding(expired!.finding.id)).toMatchObject({
      state: 'resolved',
      resolution: 'Penetration test renewed: valid until 2027-05-20',
    });
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'HIPAA BAA', expiresOn: '2028-01-01' }),
    );
    expect(await finding(required[0]!.id)).toMatchObject({ state: 'resolved', resolved_by: 'system' });
    expect(await finding(required[1]!.id)).toMatchObject({ state: 'open' });
  });
});
