import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../src/core/approvals/decide.ts';
import { requestEscalation } from '../../src/core/approvals/request.ts';
import { auditTrail, verifyAuditChain } from '../../src/core/audit/log.ts';
import { acknowledge, assign, resolve } from '../../src/core/findings/actions.ts';
import { getFinding } from '../../src/core/findings/queries.ts';
import { inTransaction } from '../../src/store/database.ts';
import {
  counts,
  createTeamStore,
  dana,
  historyTexts,
  insertVendor,
  olive,
  openTestFinding,
  outbox,
  pat,
  sam,
  vic,
} from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

describe('finding lifecycle', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    vendorId = await insertVendor(store);
  });
  afterEach(() => store.cleanup());

  it('goes open -> acknowledged -> assigned -> escalation pending -> escalated, editing one card', async () => {
    const opened = await openTestFinding(store, vendorId);
    expect(opened).toMatchObject({ state: 'open', severity: 'high', sla_due_on: '2026-07-01' });

    store.clock.advance(60_000);
    await inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, dana, opened.id));
    await inTransaction(store.deps.db, (tx) => assign(tx, store.deps, dana, opened.id, sam));
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, olive, opened.id, {
        requestedAction: 'suspend_access',
        reason: 'Datastore still open after 48 hours',
      }),
    );
    expect((await getFinding(store.db, opened.id)).state).toBe('escalation_pending');

    const { finding, signature } = await inTransaction(store.deps.db, (tx) =>
      decide(tx, store.deps, pat, request.id, { decision: 'approve' }),
    );
    expect(finding).toMatchObject({ state: 'escalated', assignee_id: sam.id, acknowledged_by: dana.id });
    expect(signature).toMatchObject({ signer_name: 'Pat Approver', meaning: 'approval' });

    const detail = await getFinding(store.db, opened.id);
    expect(detail).toMatchObject({ assignee_name: 'Sam Engineer', acknowledged_by_name: 'Dana Analyst' });
    expect(detail.actions).toEqual(['assign', 'propose_fix']);

    const rows = await outbox(store);
    const cards = rows.filter((r) => r.template === 'finding-card');
    expect(new Set(cards.map((r) => r.subject))).toEqual(new Set([`finding:${opened.id}`]));
    expect(cards.map((r) => r.target)).toEqual(Array(5).fill('slack:CFINDINGS'));
    expect(historyTexts(rows)).toEqual([
      'Acknowledged by Dana Analyst',
      'Assigned to Sam Engineer by Dana Analyst',
      'Escalation (Suspend the vendor’s data access) requested by Olive Owner: Datastore still open after 48 hours',
      'Escalation (Suspend the vendor’s data access) approved by Pat Approver at 2026-06-01 09:01 UTC',
    ]);
    for (const h of rows.filter((r) => r.template === 'finding-history')) {
      expect(h.thread_of).toBe(`finding:${opened.id}`);
    }
    expect(rows.filter((r) => r.template === 'assigned')).toMatchObject([{ target: sam.id }]);
    expect(rows.filter((r) => r.template === 'approval-card')).toMatchObject([
      { subject: `approval:${request.id}`, target: 'slack:CAPPROVALS' },
      { subject: `approval:${request.id}`, target: 'slack:CAPPROVALS' },
    ]);
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(rows.length);

    const trail = await auditTrail(store.db, 'finding', opened.id);
    expect(trail.map((a) => a.action)).toEqual([
      'finding.open',
      'finding.acknowledge',
      'finding.assign',
      'finding.escalate',
      'finding.approve_escalation',
    ]);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
  });

  it.each([
    ['assigned', true, true],
    ['acknowledged', true, false],
    ['open', false, false],
  ] as const)('a rejection sends the finding back to %s', async (expected, ack, assignFirst) => {
    const opened = await openTestFinding(store, vendorId);
    if (ack) await inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, dana, opened.id));
    if (assignFirst) await inTransaction(store.deps.db, (tx) => assign(tx, store.deps, dana, opened.id, sam));
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, opened.id, {
        requestedAction: 'invoke_irp',
        reason: 'Possible breach of PHI',
      }),
    );
    await expect(
      inTransaction(store.deps.db, (tx) => decide(tx, store.deps, pat, request.id, { decision: 'reject' })),
    ).rejects.toThrow(/needs a reason/);
    const { finding, request: decided } = await inTransaction(store.deps.db, (tx) =>
      decide(tx, store.deps, pat, request.id, {
        decision: 'reject',
        reason: 'No evidence of access yet',
      }),
    );
    expect(finding.state).toBe(expected);
    expect(decided).toMatchObject({
      state: 'rejected',
      decided_by: pat.id,
      decision_reason: 'No evidence of access yet',
    });
    expect(historyTexts(await outbox(store)).at(-1)).toBe(
      'Escalation (Invoke the incident response plan) rejected by Pat Approver at 2026-06-01 09:00 UTC: No evidence of access yet',
    );
  });

  it('refuses self-approval and writes nothing', async () => {
    const opened = await openTestFinding(store, vendorId);
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, opened.id, {
        requestedAction: 'remediation_deadline',
        reason: 'Vendor unresponsive',
        actionUntil: '2026-06-15',
      }),
    );
    const before = await counts(store);
    await expect(
      inTransaction(store.deps.db, (tx) => decide(tx, store.deps, dana, request.id, { decision: 'approve' })),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: 'You requested this escalation, so another approver must decide it.',
    });
    expect(await counts(store)).toEqual(before);
    expect((await getFinding(store.db, opened.id)).state).toBe('escalation_pending');
  });

  it('refuses a decision from someone who is not an approver', async () => {
    const opened = await openTestFinding(store, vendorId);
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, opened.id, {
        requestedAction: 'invoke_irp',
        reason: 'Breach reported',
      }),
    );
    await expect(
      inTransaction(store.deps.db, (tx) => decide(tx, store.deps, olive, request.id, { decision: 'approve' })),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('does not let a viewer acknowledge, and changes nothing', async () => {
    const opened = await openTestFinding(store, vendorId);
    const before = await counts(store);
    await expect(
      inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, vic, opened.id)),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('act on this finding'),
    });
    expect(await counts(store)).toEqual(before);
    expect((await getFinding(store.db, opened.id)).state).toBe('open');
  });

  it('lets the vendor owner acknowledge their own vendor’s finding', async () => {
    const opened = await openTestFinding(store, vendorId);
    expect(
      (await inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, olive, opened.id))).acknowledged_by,
    ).toBe(olive.id);
  });

  it('applies two simultaneous acknowledgements once; the second learns who was first', async () => {
    const opened = await openTestFinding(store, vendorId);
    const results = await Promise.allSettled([
      inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, dana, opened.id)),
      inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, olive, opened.id)),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ acknowledged_by: string }>).value.acknowledged_by;
    const name = winner === dana.id ? 'Dana Analyst' : 'Olive Owner';
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'conflict',
      message: `Already acknowledged by ${name} at 2026-06-01 09:00 UTC.`,
    });
    const trail = await auditTrail(store.db, 'finding', opened.id);
    expect(trail.filter((a) => a.action === 'finding.acknowledge')).toHaveLength(1);
    expect(historyTexts(await outbox(store))).toHaveLength(1);
  });

  it('resolves with a note, names who resolved it to a late click, and never withdraws a request on the side', async () => {
    const opened = await openTestFinding(store, vendorId);
    await expect(
      inTransaction(store.deps.db, (tx) => resolve(tx, store.deps, dana, opened.id, { note: '  ' })),
    ).rejects.toThrow(/resolution note/);
    const resolved = await inTransaction(store.deps.db, (tx) =>
      resolve(tx, store.deps, dana, opened.id, { note: 'Vendor closed port 9200' }),
    );
    expect(resolved).toMatchObject({ state: 'resolved', resolution: 'Vendor closed port 9200' });
    await expect(
      inTransaction(store.deps.db, (tx) => acknowledge(tx, store.deps, dana, opened.id)),
    ).rejects.toMatchObject({
      message: 'Already resolved by Dana Analyst at 2026-06-01 09:00 UTC.',
    });
    const waiting = await openTestFinding(store, vendorId, 'signal:scanner:2');
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, waiting.id, {
        requestedAction: 'suspend_access',
        reason: 'Still exposed',
      }),
    );
    await expect(
      inTransaction(store.deps.db, (tx) => resolve(tx, store.deps, dana, waiting.id, { note: 'Closed' })),
    ).rejects.toMatchObject({ code: 'invalid_state' });
    const decided = await inTransaction(store.deps.db, (tx) =>
      decide(tx, store.deps, pat, request.id, { decision: 'approve' }),
    );
    expect(decided.request.state).toBe('approved');
  });

  it('re-assigns, and tells a second click it is already done', async () => {
    const opened = await openTestFinding(store, vendorId);
    await inTransaction(store.deps.db, (tx) => assign(tx, store.deps, dana, opened.id, sam));
    await expect(
      inTransaction(store.deps.db, (tx) => assign(tx, store.deps, dana, opened.id, sam)),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: `Finding #${opened.id} is already assigned to Sam Engineer.`,
    });
    const moved = await inTransaction(store.deps.db, (tx) => assign(tx, store.deps, dana, opened.id, olive));
    expect(moved).toMatchObject({ state: 'assigned', assignee_id: olive.id });
    const dms = (await outbox(store)).filter((r) => r.template === 'assigned').map((r) => r.target);
    expect(dms).toEqual([sam.id, olive.id]);
  });
});
