import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { approvalCard } from '../../src/chat/views/approval-card.ts';
import { findingCard } from '../../src/chat/views/finding-card.ts';
import { loadFindingCard } from '../../src/chat/views/finding-card-data.ts';
import { escalateOverdueReview, escalateSlaBreach } from '../../src/core/approvals/auto-escalate.ts';
import { decide } from '../../src/core/approvals/decide.ts';
import { getApprovalRequest } from '../../src/core/approvals/queries.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, insertVendor, olive, openTestFinding, pat, sam } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// Escalations the bot raises itself propose a remediation deadline from the SLA policy, so the approver
// approves a date rather than "a deadline" with none. Once approved, that date is the finding's due date
// (its card's "SLA due") and the vendor's owner is told by direct message.

describe('automatic escalations carry a proposed deadline', () => {
  let store: TestStore;
  let vendorId: number;
  beforeEach(async () => {
    store = await createTeamStore('2026-06-01T09:00:00.000Z');
    vendorId = await insertVendor(store, { name: 'Acme Health Cloud', tier: 'critical', nextReviewOn: '2026-05-01' });
  });
  afterEach(() => store.cleanup());

  const cardFields = async (findingId: number) => {
    const card = await loadFindingCard(store.db, findingId);
    const blocks = card ? (findingCard(card, '2026-06-01').blocks ?? []) : [];
    return Object.fromEntries(
      blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => [f.label, f.value] as const) : [])),
    );
  };

  it('an overdue review asks to approve a deadline from the policy; approving it sets the SLA due and tells the owner', async () => {
    const vendor = { id: vendorId, name: 'Acme Health Cloud', tier: 'critical' };
    const { finding, escalation } = await inTransaction(store.db, (tx) =>
      escalateOverdueReview(tx, store.deps, vendor, '2026-05-01'),
    );
    // Critical tier: a high finding, whose SLA in the policy is 30 days.
    expect(finding.severity).toBe('high');
    expect(store.deps.policy.findingSlaDays.high).toBe(30);
    expect(escalation?.request).toMatchObject({ requested_action: 'remediation_deadline', action_until: '2026-07-01' });
    const card = approvalCard(await getApprovalRequest(store.db, escalation?.request.id ?? 0));
    expect(card.text).toContain('Set a remediation deadline by 2026-07-01');

    store.clock.set('2026-06-02T10:00:00.000Z');
    await inTransaction(store.db, (tx) =>
      decide(tx, store.deps, pat, escalation?.request.id ?? 0, { decision: 'approve' }),
    );
    const after = await store.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', finding.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ state: 'escalated', sla_due_on: '2026-07-01' });
    expect((await cardFields(finding.id))['SLA due']).toContain('2026-07-01');
    const audit = await store.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'finding.approve_escalation')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after ?? '{}')).toMatchObject({ sla_due_on: '2026-07-01' });

    const told = await store.db.selectFrom('outbox').selectAll().where('template', '=', 'deadline-set').execute();
    expect(told.map((r) => r.target)).toEqual([olive.id]);
    const reply = await renderNotification(store.deps)(told[0]!);
    expect(reply?.text).toContain('Pat Approver approved a remediation deadline for finding #');
    expect(reply?.text).toContain('Fix it by 2026-07-01 (due in 29 days); that is now its SLA due date.');
  });

  const breached = async () => {
    const finding = await openTestFinding(store, vendorId, 'signal:scanner:1', 'medium');
    await store.db
      .updateTable('findings')
      .set({ sla_due_on: '2026-05-20', assignee_id: sam.id })
      .where('id', '=', finding.id)
      .execute();
    const escalation = await inTransaction(store.db, (tx) =>
      escalateSlaBreach(tx, store.deps, { id: finding.id, sla_due_on: '2026-05-20' }),
    );
    return { finding, escalation };
  };

  it('an SLA breach proposes a deadline by the finding’s severity; approved, the card’s SLA due moves to it', async () => {
    const { finding, escalation } = await breached();
    // Medium: 90 days in the policy.
    expect(escalation?.request.action_until).toBe('2026-08-30');
    expect((await cardFields(finding.id))['SLA due']).toContain('2026-05-20');
    await inTransaction(store.db, (tx) =>
      decide(tx, store.deps, pat, escalation?.request.id ?? 0, { decision: 'approve' }),
    );
    expect((await cardFields(finding.id))['SLA due']).toContain('2026-08-30');
    // The owner and the assignee both hear it.
    const told = await store.db.selectFrom('outbox').select('target').where('template', '=', 'deadline-set').execute();
    expect(told.map((r) => r.target)).toEqual([olive.id, sam.id]);
  });

  it('a rejected proposal changes no date and tells nobody', async () => {
    const { finding, escalation } = await breached();
    await inTransaction(store.db, (tx) =>
      decide(tx, store.deps, pat, escalation?.request.id ?? 0, { decision: 'reject', reason: 'Fix it this sprint.' }),
    );
    const after = await store.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', finding.id)
      .executeTakeFirstOrThrow();
    expect(after.sla_due_on).toBe('2026-05-20');
    expect(await store.db.selectFrom('outbox').selectAll().where('template', '=', 'deadline-set').execute()).toEqual(
      [],
    );
  });
});
