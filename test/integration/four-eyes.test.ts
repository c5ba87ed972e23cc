import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../src/core/approvals/decide.ts';
import { pendingApprovalsFor } from '../../src/core/approvals/queries.ts';
import { requestEscalation, requestRiskAcceptance } from '../../src/core/approvals/request.ts';
import { withdrawRequest } from '../../src/core/approvals/withdraw.ts';
import { auditTrail, verifyAuditChain } from '../../src/core/audit/log.ts';
import { type Actor, SYSTEM_ACTOR } from '../../src/core/common/actor.ts';
import { resolve } from '../../src/core/findings/actions.ts';
import { getFinding } from '../../src/core/findings/queries.ts';
import { proposeFix, returnFix, verifyFix } from '../../src/core/findings/verified-closure.ts';
import { changeRole, linkAccounts } from '../../src/core/roles/change-role.ts';
import { grantRole, rolesOf } from '../../src/core/roles/permissions.ts';
import { inTransaction } from '../../src/store/database.ts';
import {
  ada,
  createTeamStore,
  dana,
  insertVendor,
  olive,
  openTestFinding,
  pat,
  quinn,
  sam,
} from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The bot is itself a control: the four-eyes rules hold whoever clicks, from whichever platform.
// Each block reproduces a way around them that worked before (issue 9) and shows it refused.

const danaOnTeams: Actor = { id: 'teams:4f1c2a9e-0000-4000-8000-00000000da7a', name: 'Dana Analyst' };

async function requestStates(store: TestStore) {
  return (await store.db.selectFrom('approval_requests').select(['id', 'state']).orderBy('id').execute()).map(
    (r) => `${r.id}:${r.state}`,
  );
}

describe('permissions by state', () => {
  let store: TestStore;
  let vendorId: number;
  const tx = <T>(fn: (t: Parameters<Parameters<typeof inTransaction>[1]>[0]) => Promise<T>) =>
    inTransaction(store.deps.db, fn);
  beforeEach(async () => {
    store = await createTeamStore();
    vendorId = await insertVendor(store);
    await store.db
      .insertInto('role_grants')
      .values({ principal: sam.id, role: 'analyst', granted_by: 'cli:setup', granted_at: '2026-06-01T09:00:00Z' })
      .execute();
  });
  afterEach(() => store.cleanup());

  let opened = 0;
  async function pendingFinding(kind: 'escalation' | 'acceptance' = 'escalation') {
    const f = await openTestFinding(store, vendorId, `signal:scanner:${++opened}`);
    const { request } = await tx((t) =>
      kind === 'escalation'
        ? requestEscalation(t, store.deps, olive, f.id, { requestedAction: 'suspend_access', reason: 'Still open' })
        : requestRiskAcceptance(t, store.deps, olive, f.id, { reason: 'Compensating control', until: '2026-09-01' }),
    );
    return { findingId: f.id, requestId: request.id };
  }

  it('refuses an owner resolving a finding that waits on, or carries, an approver: the request stays pending', async () => {
    const waiting = await pendingFinding();
    const escalated = await pendingFinding();
    await tx((t) => decide(t, store.deps, pat, escalated.requestId, { decision: 'approve' }));
    const accepted = await pendingFinding('acceptance');
    await tx((t) => decide(t, store.deps, pat, accepted.requestId, { decision: 'approve' }));
    const before = await requestStates(store);

    for (const { findingId } of [waiting, escalated, accepted]) {
      await expect(
        tx((t) => resolve(t, store.deps, olive, findingId, { note: 'Restored fine, trust us' })),
      ).rejects.toMatchObject({ code: 'forbidden' });
      // Not even an analyst closes these outright.
      await expect(tx((t) => resolve(t, store.deps, dana, findingId, { note: 'Closed' }))).rejects.toMatchObject({
        code: 'invalid_state',
      });
    }
    expect(await requestStates(store)).toEqual(before);
    expect(before).toContain(`${waiting.requestId}:pending`);
    expect((await getFinding(store.db, waiting.findingId)).state).toBe('escalation_pending');
    expect((await getFinding(store.db, escalated.findingId)).state).toBe('escalated');
    expect((await getFinding(store.db, accepted.findingId)).state).toBe('risk_accepted');
  });

  it('lets only analysts resolve an open finding; the owner marks it fixed instead', async () => {
    const f = await openTestFinding(store, vendorId);
    await expect(tx((t) => resolve(t, store.deps, olive, f.id, { note: 'Done' }))).rejects.toMatchObject({
      code: 'forbidden',
    });
    const proposed = await tx((t) => proposeFix(t, store.deps, olive, f.id, { note: 'Port 9200 closed' }));
    expect(proposed).toMatchObject({ state: 'fix_proposed', fix_proposed_by: olive.id, fix_note: 'Port 9200 closed' });
    await expect(tx((t) => verifyFix(t, store.deps, olive, f.id))).rejects.toMatchObject({ code: 'forbidden' });
    const resolved = await tx((t) => verifyFix(t, store.deps, dana, f.id));
    expect(resolved).toMatchObject({ state: 'resolved', resolved_by: dana.id, resolution: 'Port 9200 closed' });
  });

  it('closes an escalated finding by verified fix: never by the proposer, sent back with a reason to where it was', async () => {
    const { findingId, requestId } = await pendingFinding();
    await tx((t) => decide(t, store.deps, pat, requestId, { decision: 'approve' }));
    await tx((t) => proposeFix(t, store.deps, dana, findingId, { note: 'Access suspended' }));
    await expect(tx((t) => verifyFix(t, store.deps, dana, findingId))).rejects.toMatchObject({
      code: 'forbidden',
      message: 'You marked this fix, so another analyst must verify it. Nothing was changed.',
    });
    await expect(tx((t) => returnFix(t, store.deps, sam, findingId, { reason: ' ' }))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const back = await tx((t) => returnFix(t, store.deps, sam, findingId, { reason: 'Logs still show access' }));
    expect(back).toMatchObject({ state: 'escalated', fix_returned_reason: 'Logs still show access' });
    await tx((t) => proposeFix(t, store.deps, olive, findingId, { note: 'Keys rotated too' }));
    expect(await tx((t) => verifyFix(t, store.deps, sam, findingId))).toMatchObject({ state: 'resolved' });
    const actions = (await auditTrail(store.db, 'finding', findingId)).map((a) => a.action);
    expect(actions.slice(-4)).toEqual([
      'finding.propose_fix',
      'finding.return_fix',
      'finding.propose_fix',
      'finding.verify_fix',
    ]);
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
  });

  it('withdraws a pending request only when its requester asks, with a reason, audited', async () => {
    const { findingId, requestId } = await pendingFinding();
    await expect(
      tx((t) => withdrawRequest(t, store.deps, dana, findingId, { reason: 'Not needed' })),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(tx((t) => withdrawRequest(t, store.deps, olive, findingId, { reason: '' }))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await requestStates(store)).toEqual([`${requestId}:pending`]);
    const { request, finding } = await tx((t) =>
      withdrawRequest(t, store.deps, olive, findingId, { reason: 'Vendor fixed it overnight' }),
    );
    expect(request).toMatchObject({
      state: 'withdrawn',
      withdrawn_by: olive.id,
      withdraw_reason: 'Vendor fixed it overnight',
    });
    expect(finding.state).toBe('open');
    const [audit] = (await auditTrail(store.db, 'approval_request', requestId)).filter(
      (a) => a.action === 'approval.withdraw',
    );
    expect(audit).toMatchObject({ actor_id: olive.id, reason: 'Vendor fixed it overnight' });
    await expect(tx((t) => decide(t, store.deps, pat, requestId, { decision: 'approve' }))).rejects.toMatchObject({
      code: 'invalid_state',
      message: 'This escalation request was withdrawn by Olive Owner: Vendor fixed it overnight',
    });
    const cards = await store.db
      .selectFrom('outbox')
      .select('template')
      .where('subject', '=', `approval:${requestId}`)
      .execute();
    expect(cards.length).toBeGreaterThanOrEqual(2);
  });
});

describe('segregation of duties', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore();
    await inTransaction(store.db, (t) => grantRole(t, store.clock, ada, ada.id, 'admin'));
  });
  afterEach(() => store.cleanup());

  it('refuses an admin granting or revoking their own roles', async () => {
    await expect(
      changeRole(store.deps, ada, { principal: ada.id, role: 'approver', grant: true }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(changeRole(store.deps, ada, { principal: ada.id, role: 'admin', grant: false })).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
    expect([...(await rolesOf(store.db, ada.id))].sort()).toEqual(['admin', 'viewer']);
  });

  it('never lets one person hold admin and approver, whoever grants it', async () => {
    await expect(changeRole(store.deps, ada, { principal: pat.id, role: 'admin', grant: true })).rejects.toMatchObject({
      code: 'invalid_state',
    });
    await expect(
      inTransaction(store.db, (t) => grantRole(t, store.clock, dana, ada.id, 'approver')),
    ).rejects.toMatchObject({ code: 'invalid_state' });
    expect((await rolesOf(store.db, pat.id)).has('admin')).toBe(false);
  });

  it('treats linked Slack and Teams accounts as one person: no approving your own request from the other platform', async () => {
    const vendorId = await insertVendor(store);
    const f = await openTestFinding(store, vendorId);
    // Before the link the Teams account is a stranger, so the bypass is refused only once linked.
    await expect(linkAccounts(store.deps, dana, dana.id, danaOnTeams.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await linkAccounts(store.deps, ada, dana.id, danaOnTeams.id)).toBe(true);
    expect(await linkAccounts(store.deps, ada, danaOnTeams.id, dana.id)).toBe(false);
    const linked = await auditTrail(store.db, 'principal', dana.id);
    expect(linked.map((a) => a.action)).toContain('person.link');

    const { request } = await inTransaction(store.db, (t) =>
      requestEscalation(t, store.deps, danaOnTeams, f.id, { requestedAction: 'invoke_irp', reason: 'Breach' }),
    );
    await expect(
      inTransaction(store.db, (t) => decide(t, store.deps, dana, request.id, { decision: 'approve' })),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: 'You requested this escalation, so another approver must decide it.',
    });
    expect(await pendingApprovalsFor(store.db, dana.id)).toEqual([]);
    expect((await pendingApprovalsFor(store.db, quinn.id)).map((r) => r.id)).toEqual([request.id]);
    // The Teams account carries Dana's grants (she is an analyst there too).
    expect((await rolesOf(store.db, danaOnTeams.id)).has('analyst')).toBe(true);
  });

  it('refuses a link that would merge admin and approver, and an admin linking their own accounts', async () => {
    await expect(linkAccounts(store.deps, ada, pat.id, 'teams:ada-on-teams')).resolves.toBe(true);
    await expect(linkAccounts(store.deps, ada, ada.id, 'teams:ada-second')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await inTransaction(store.db, (t) => grantRole(t, store.clock, SYSTEM_ACTOR, 'slack:UADMIN2', 'admin'));
    await expect(linkAccounts(store.deps, ada, 'slack:UADMIN2', quinn.id)).rejects.toMatchObject({
      code: 'invalid_state',
    });
  });
});
