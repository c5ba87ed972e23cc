import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escalateOverdueReview, escalateSlaBreach } from '../../src/core/approvals/auto-escalate.ts';
import { decide } from '../../src/core/approvals/decide.ts';
import { getApprovalRequest, pendingApprovalsFor } from '../../src/core/approvals/queries.ts';
import { requestEscalation, requestRiskAcceptance } from '../../src/core/approvals/request.ts';
import { auditTrail } from '../../src/core/audit/log.ts';
import { verifySignature } from '../../src/core/audit/signatures.ts';
import { acknowledge, reopenExpiredAcceptance } from '../../src/core/findings/actions.ts';
import { expiredAcceptances, getFinding, slaBreaches } from '../../src/core/findings/queries.ts';
import { inTransaction } from '../../src/store/database.ts';
import {
  createTeamStore,
  dana,
  historyTexts,
  insertVendor,
  olive,
  openTestFinding,
  outbox,
  pat,
  quinn,
} from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';
import { tamper } from '../support/tamper.ts';

const DAY = 86_400_000;

describe('approvals and signatures', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    vendorId = await insertVendor(store);
  });
  afterEach(() => store.cleanup());

  it('accepts a risk until a date, then reopens the finding the day after with a fresh SLA', async () => {
    const opened = await openTestFinding(store, vendorId);
    await expect(
      inTransaction(store.deps.db, (tx) =>
        requestRiskAcceptance(tx, store.deps, olive, opened.id, {
          reason: 'Compensating WAF rule',
          until: '2026-06-01',
        }),
      ),
    ).rejects.toThrow('The date must be after today (2026-06-01), not 2026-06-01.');
    await expect(
      inTransaction(store.deps.db, (tx) =>
        requestEscalation(tx, store.deps, olive, opened.id, { requestedAction: 'accept_risk', reason: 'WAF' }),
      ),
    ).rejects.toThrow(/needs an expiry date/);
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestRiskAcceptance(tx, store.deps, olive, opened.id, {
        reason: 'Compensating WAF rule',
        until: '2026-06-30',
      }),
    );
    expect(request).toMatchObject({
      kind: 'risk_acceptance',
      requested_action: 'accept_risk',
      action_until: '2026-06-30',
    });
    const { finding } = await inTransaction(store.deps.db, (tx) =>
      decide(tx, store.deps, quinn, request.id, { decision: 'approve', reason: 'WAF verified' }),
    );
    expect(finding).toMatchObject({ state: 'risk_accepted', accepted_until: '2026-06-30' });

    store.clock.set('2026-06-30T12:00:00.000Z');
    expect(await expiredAcceptances(store.db, '2026-06-30')).toEqual([]);
    expect(await inTransaction(store.deps.db, (tx) => reopenExpiredAcceptance(tx, store.deps, opened.id))).toBeNull();

    store.clock.set('2026-07-01T08:00:00.000Z');
    expect((await expiredAcceptances(store.db, '2026-07-01')).map((f) => f.id)).toEqual([opened.id]);
    const reopened = await inTransaction(store.deps.db, (tx) => reopenExpiredAcceptance(tx, store.deps, opened.id));
    expect(reopened).toMatchObject({
      state: 'open',
      reopened_reason: 'Risk acceptance expired on 2026-06-30',
      sla_due_on: '2026-07-31',
    });
    expect(await inTransaction(store.deps.db, (tx) => reopenExpiredAcceptance(tx, store.deps, opened.id))).toBeNull();
    const trail = await auditTrail(store.db, 'finding', opened.id);
    expect(trail.at(-1)).toMatchObject({ action: 'finding.reopen', actor_id: 'system' });
    expect(historyTexts(await outbox(store)).at(-1)).toBe('Reopened: Risk acceptance expired on 2026-06-30');
  });

  it('binds the signature to the decided record: verification fails once the row is altered', async () => {
    const opened = await openTestFinding(store, vendorId);
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, opened.id, {
        requestedAction: 'suspend_access',
        reason: 'Exposed datastore',
      }),
    );
    store.clock.advance(5 * 60_000);
    const { signature, request: decided } = await inTransaction(store.deps.db, (tx) =>
      decide(tx, store.deps, pat, request.id, {
        decision: 'approve',
        reason: 'Confirmed with the vendor',
      }),
    );
    expect(signature).toMatchObject({
      record_type: 'approval_request',
      record_id: request.id,
      record_version: decided.version,
      signer_id: pat.id,
      signer_name: 'Pat Approver',
      meaning: 'approval',
      reason: 'Confirmed with the vendor',
      signed_at: '2026-06-01T09:05:00.000Z',
    });
    expect(await verifySignature(store.db, signature.id)).toMatchObject({ ok: true });
    const detail = await getApprovalRequest(store.db, request.id);
    expect(detail.signatures.map((s) => s.id)).toEqual([signature.id]);
    expect(detail).toMatchObject({ requested_by_name: 'Dana Analyst', decided_by_name: 'Pat Approver' });

    const audit = (await auditTrail(store.db, 'approval_request', request.id)).at(-1);
    expect(JSON.parse(audit?.after ?? '{}').signature).toMatchObject({
      signer_name: 'Pat Approver',
      meaning: 'approval',
      record_hash: signature.record_hash,
      manifestation:
        'Signed by Pat Approver, 2026-06-01 09:05 UTC, meaning: approval, reason: Confirmed with the vendor',
    });

    await tamper(store, `update approval_requests set decision_reason = 'Rubber-stamped' where id = ${request.id}`);
    expect(await verifySignature(store.db, signature.id)).toMatchObject({
      ok: false,
      problem: 'the record was altered after it was signed',
    });
  });

  it('tells a second click who decided first, and does not sign twice', async () => {
    const opened = await openTestFinding(store, vendorId);
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, opened.id, {
        requestedAction: 'invoke_irp',
        reason: 'Breach notice',
      }),
    );
    store.clock.advance(12 * 60_000);
    await inTransaction(store.deps.db, (tx) => decide(tx, store.deps, pat, request.id, { decision: 'approve' }));
    await expect(
      inTransaction(store.deps.db, (tx) =>
        decide(tx, store.deps, quinn, request.id, { decision: 'reject', reason: 'late' }),
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'Already approved by Pat Approver at 2026-06-01 09:12 UTC.',
    });
    const signatures = await store.db.selectFrom('signatures').selectAll().execute();
    expect(signatures).toHaveLength(1);
  });

  it('lists for each approver the pending requests they did not make', async () => {
    const first = await openTestFinding(store, vendorId, 'k1');
    const second = await openTestFinding(store, vendorId, 'k2');
    await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, first.id, { requestedAction: 'invoke_irp', reason: 'a' }),
    );
    await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, olive, second.id, { requestedAction: 'suspend_access', reason: 'b' }),
    );
    expect((await pendingApprovalsFor(store.db, dana.id)).map((r) => r.finding_id)).toEqual([second.id]);
    expect((await pendingApprovalsFor(store.db, olive.id)).map((r) => r.finding_id)).toEqual([first.id]);
    expect((await pendingApprovalsFor(store.db, pat.id)).map((r) => r.finding_id)).toEqual([first.id, second.id]);
  });

  it('escalates an SLA breach on its own, once per cause, decidable by any approver', async () => {
    const opened = await openTestFinding(store, vendorId, 'k1', 'critical');
    await inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, dana, opened.id));
    store.clock.advance(8 * DAY);
    const [breached] = await slaBreaches(store.db, '2026-06-09');
    expect(breached?.id).toBe(opened.id);
    const auto = await inTransaction(store.db, (tx) => escalateSlaBreach(tx, store.deps, breached!));
    expect(auto?.request).toMatchObject({
      requested_by: 'system',
      reason: 'SLA due 2026-06-08 passed without resolution',
    });
    const { finding } = await inTransaction(store.deps.db, (tx) =>
      decide(tx, store.deps, dana, auto!.request.id, {
        decision: 'reject',
        reason: 'Fix is live Friday',
      }),
    );
    expect(finding.state).toBe('acknowledged');
    expect(await inTransaction(store.db, (tx) => escalateSlaBreach(tx, store.deps, breached!))).toBeNull();
    expect((await getFinding(store.db, opened.id)).state).toBe('acknowledged');
  });

  it('opens a finding for a long-overdue reassessment and asks for escalation once', async () => {
    const vendor = { id: vendorId, name: 'Acme Health Cloud', tier: 'critical' };
    const first = await inTransaction(store.db, (tx) => escalateOverdueReview(tx, store.deps, vendor, '2026-05-01'));
    expect(first.finding).toMatchObject({ state: 'escalation_pending', severity: 'high', source: 'cadence' });
    expect(first.escalation?.request.reason).toBe('Reassessment due 2026-05-01 is more than 14 days overdue');
    const again = await inTransaction(store.db, (tx) => escalateOverdueReview(tx, store.deps, vendor, '2026-05-01'));
    expect(again).toMatchObject({ finding: { id: first.finding.id }, escalation: null });
  });
});
