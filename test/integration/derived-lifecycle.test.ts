import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escalateOverdueReview } from '../../src/core/approvals/auto-escalate.ts';
import { requestEscalation } from '../../src/core/approvals/request.ts';
import { loadQuestionnaire } from '../../src/core/assessments/questionnaire.ts';
import { requestReassessment } from '../../src/core/assessments/request.ts';
import type { AnswerInput } from '../../src/core/assessments/scoring.ts';
import { submit } from '../../src/core/assessments/submit.ts';
import { SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { openExpiredEvidenceFinding } from '../../src/core/evidence/expiry.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { syncRequiredEvidenceFinding } from '../../src/core/evidence/required-findings.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, historyTexts, insertVendor, olive, outbox } from '../support/fixtures.ts';
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

  it('closes "evidence expired" when the document is renewed, and keeps one "required evidence missing" finding until all is recorded', async () => {
    const old = await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'Penetration test', expiresOn: '2026-05-15' }),
    );
    const expired = await inTransaction(store.db, (tx) =>
      openExpiredEvidenceFinding(tx, store.deps, SYSTEM_ACTOR, old.evidence.id),
    );
    const sync = () =>
      inTransaction(store.db, (tx) =>
        syncRequiredEvidenceFinding(tx, store.deps, vendorId, { open: true, closeReason: 'nothing missing' }),
      );
    // PHI (BAA) and critical tier (SOC 2 or ISO 27001) in one finding; the pen test has its own expiry finding.
    const first = await sync();
    expect(first.opened).toBe(true);
    const required = first.finding!;
    expect(required.title).toBe('Acme Health Cloud: required evidence missing: HIPAA BAA, SOC 2 Type II or ISO 27001');
    // Asked once: a second sweep opens nothing new and changes nothing.
    expect(await sync()).toMatchObject({ opened: false, updated: false, finding: { id: required.id, version: 1 } });

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
    // The BAA recorded: the same finding now asks only for the rest, said on its card and in the audit.
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'HIPAA BAA', expiresOn: '2028-01-01' }),
    );
    expect(await finding(required.id)).toMatchObject({
      state: 'open',
      title: 'Acme Health Cloud: required evidence missing: SOC 2 Type II or ISO 27001',
    });
    const updates = await store.db
      .selectFrom('audit_log')
      .select(['actor_id', 'reason'])
      .where('action', '=', 'finding.update')
      .where('entity_id', '=', String(required.id))
      .execute();
    expect(updates).toEqual([{ actor_id: 'system', reason: 'No longer missing: HIPAA BAA' }]);
    expect(historyTexts(await outbox(store))).toContain('No longer missing: HIPAA BAA');

    // The last document recorded closes it, withdrawing the escalation still waiting for an approver.
    await inTransaction(store.db, (tx) =>
      requestEscalation(tx, store.deps, dana, required.id, { requestedAction: 'suspend_access', reason: 'No SOC 2' }),
    );
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'SOC 2 Type II', expiresOn: '2027-03-01' }),
    );
    expect(await finding(required.id)).toMatchObject({
      state: 'resolved',
      resolved_by: 'system',
      resolution: 'SOC 2 Type II recorded, valid until 2027-03-01',
    });
    expect(await withdrawals()).toEqual([
      { actor_id: 'system', reason: 'Withdrawn by the system: SOC 2 Type II recorded, valid until 2027-03-01' },
    ]);
    expect(await sync()).toEqual({ finding: null, opened: false, updated: false, closed: [] });
  });
});
