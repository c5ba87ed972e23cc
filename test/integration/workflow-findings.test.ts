import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvals } from '../../commands/approvals.ts';
import { findingActions } from '../../commands/finding-actions.ts';
import { findingClosure } from '../../commands/finding-closure.ts';
import { buildRegistry, type Outcome } from '../../src/chat/command.ts';
import { dispatchAction, dispatchCommand, dispatchForm } from '../../src/chat/dispatch.ts';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import type { Block, Reply } from '../../src/chat/reply.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { getFinding } from '../../src/core/findings/queries.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import type { OutboxRow } from '../../src/store/tables.ts';
import { replyOf, slackContext } from '../support/command-world.ts';
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
  quinn,
  sam,
  vic,
} from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The finding card's buttons and the approval buttons, dispatched the way both chat adapters do it,
// against a real store. Each person acts as themselves; the messages the outbox would send are
// rendered with the real notification views.

const registry = buildRegistry([findingActions, findingClosure, approvals]);
let store: TestStore;
let findingId: number;

const ctx = (actor: Actor) => slackContext(store.deps, actor, 'slack:CFINDINGS');
const click = (actor: Actor, action: string, value: number | string) =>
  dispatchAction(registry, ctx(actor), action, String(value));
const submit = (actor: Actor, form: string, values: Record<string, string>, state: number | string) =>
  dispatchForm(registry, ctx(actor), form, values, String(state));

const said = (outcome: Outcome) => replyOf(outcome).text;

/** The latest message of a template for a target, drawn by the real views as the relay would. */
async function rendered(template: string, target?: string): Promise<Reply | null> {
  const rows = (await outbox(store)).filter((r) => r.template === template && (!target || r.target === target));
  const row = rows.at(-1);
  if (!row) throw new Error(`no ${template} message queued`);
  return renderNotification(store.deps)(row);
}
const buttonsOf = (blocks: Block[] | undefined) =>
  (blocks ?? []).flatMap((b) => (b.type === 'actions' ? [...b.buttons, ...(b.more ?? [])].map((x) => x.label) : []));
const textOf = (reply: Reply | null) => JSON.stringify(reply?.blocks ?? []) + (reply?.text ?? '');

beforeEach(async () => {
  store = await createTeamStore();
  // The adapters remember every person they see; Sam is picked in a form before ever using the bot.
  await rememberPerson(store.db, store.clock, sam);
  findingId = (await openTestFinding(store, await insertVendor(store))).id;
});
afterEach(() => store.cleanup());

describe('finding workflow in chat', () => {
  it('acknowledge, assign, escalate and approve, each by a different person, edit one card and thread its history', async () => {
    expect(said(await click(dana, 'finding.ack', findingId))).toBe(
      `Acknowledged finding #${findingId}. The card now shows it for everyone.`,
    );
    expect(said(await click(olive, 'finding.ack', findingId))).toBe(
      'Already acknowledged by Dana Analyst at 2026-06-01 09:00 UTC.',
    );

    const assignForm = await click(olive, 'finding.assign', findingId);
    expect(assignForm).toMatchObject({ form: { id: 'finding.assign', fields: [{ id: 'assignee', kind: 'user' }] } });
    expect(await submit(olive, 'finding.assign', {}, findingId)).toEqual({
      fieldErrors: { assignee: 'Pick the person who will work on it.' },
    });
    expect(said(await submit(olive, 'finding.assign', { assignee: sam.id }, findingId))).toBe(
      `Assigned finding #${findingId} to <@slack:USAM|Sam Engineer>. They have a direct message.`,
    );
    const dm = await rendered('assigned', sam.id);
    expect(dm?.text).toContain(`Olive Owner assigned you finding #${findingId} on Acme Health Cloud`);
    expect(buttonsOf(dm?.blocks)).toEqual(['Assign', 'Escalate', 'Resolve', 'Mark fixed', 'Request risk acceptance']);

    store.clock.advance(60 * 60_000);
    const escalateForm = await click(olive, 'finding.escalate', findingId);
    expect(escalateForm).toMatchObject({ form: { id: 'finding.escalate' } });
    expect(await submit(olive, 'finding.escalate', { action: 'remediation_deadline' }, findingId)).toEqual({
      fieldErrors: { reason: 'Say why: an approver reads this before deciding.', until: 'Pick a date.' },
    });
    expect(
      await submit(
        olive,
        'finding.escalate',
        { reason: 'PHI exposed', action: 'remediation_deadline', until: '2026-06-01' },
        findingId,
      ),
    ).toEqual({ fieldErrors: { until: 'Pick a date after today (2026-06-01).' } });
    const asked = await submit(
      olive,
      'finding.escalate',
      { reason: 'PHI exposed', action: 'remediation_deadline', until: '2026-06-15' },
      findingId,
    );
    expect(said(asked)).toMatch(/^Asked the approvers: Escalation #\d+: Set a remediation deadline by 2026-06-15\./);
    const pending = await rendered('approval-card', 'slack:CAPPROVALS');
    expect(buttonsOf(pending?.blocks)).toEqual(['Approve', 'Reject']);
    const requestId = (await getFinding(store.db, findingId)).pending_request?.id ?? 0;

    store.clock.advance(15 * 60_000);
    expect(said(await click(pat, 'approval.approve', requestId))).toBe(
      'Approved. Signed by Pat Approver, 2026-06-01 10:15 UTC, meaning: approval. The request and the finding card now show it.',
    );
    expect(said(await click(quinn, 'approval.approve', requestId))).toBe(
      'Already approved by Pat Approver at 2026-06-01 10:15 UTC.',
    );

    const rows = await outbox(store);
    const cards = rows.filter((r) => r.template === 'finding-card');
    expect(new Set(cards.map((r) => r.subject))).toEqual(new Set([`finding:${findingId}`]));
    expect(historyTexts(rows)).toEqual([
      'Acknowledged by Dana Analyst',
      'Assigned to Sam Engineer by Olive Owner',
      'Escalation (Set a remediation deadline by 2026-06-15) requested by Olive Owner: PHI exposed',
      'Escalation (Set a remediation deadline by 2026-06-15) approved by Pat Approver at 2026-06-01 10:15 UTC',
    ]);
    const card = await rendered('finding-card');
    expect(textOf(card)).toContain('Signed by Pat Approver, 2026-06-01 10:15 UTC, meaning: approval');
    expect(textOf(card)).toContain('Last change: Escalation approved by Pat Approver at 2026-06-01 10:15 UTC');
    expect(buttonsOf(card?.blocks)).toEqual(['Assign', 'Mark fixed']);
    const decided = await rendered('approval-card', 'slack:CAPPROVALS');
    expect(buttonsOf(decided?.blocks)).toEqual([]);
    expect(decided?.text).toContain('✅ Approved. Signed by Pat Approver, 2026-06-01 10:15 UTC, meaning: approval');
  });

  it('rejects an escalation with a signed reason, and the finding goes back where it was', async () => {
    await click(dana, 'finding.ack', findingId);
    await submit(olive, 'finding.escalate', { reason: 'Vendor unresponsive', action: 'suspend_access' }, findingId);
    const requestId = (await getFinding(store.db, findingId)).pending_request?.id ?? 0;

    const form = await click(quinn, 'approval.reject', requestId);
    expect(form).toMatchObject({ form: { id: 'approval.reject', fields: [{ id: 'reason', kind: 'textarea' }] } });
    expect(await submit(quinn, 'approval.reject', { reason: '  ' }, requestId)).toEqual({
      fieldErrors: { reason: 'Say why: the requester reads this.' },
    });
    expect(said(await submit(quinn, 'approval.reject', { reason: 'Give them until Friday' }, requestId))).toBe(
      'Rejected. Signed by Quinn Approver, 2026-06-01 09:00 UTC, meaning: rejection, reason: Give them until Friday. ' +
        'The request and the finding card now show it.',
    );
    expect((await getFinding(store.db, findingId)).state).toBe('acknowledged');
    const card = await rendered('finding-card');
    expect(textOf(card)).toContain(
      'Signed by Quinn Approver, 2026-06-01 09:00 UTC, meaning: rejection, reason: Give them until Friday',
    );
    expect(buttonsOf(card?.blocks)).toEqual(['Assign', 'Escalate', 'Resolve', 'Mark fixed', 'Request risk acceptance']);
    expect(said(await click(pat, 'approval.reject', requestId))).toContain('❌ Rejected. Signed by Quinn Approver');
  });

  it('refuses self-approval, privately, and writes nothing', async () => {
    await submit(dana, 'finding.accept', { reason: 'WAF rule in place', until: '2026-09-30' }, findingId);
    const requestId = (await getFinding(store.db, findingId)).pending_request?.id ?? 0;
    const before = await counts(store);
    const approved = replyOf(await click(dana, 'approval.approve', requestId));
    expect(approved).toEqual({
      visibility: 'ephemeral',
      text: 'You requested this risk acceptance, so another approver must decide it.',
    });
    expect(said(await click(dana, 'approval.reject', requestId))).toBe(
      'You made this request, so another approver must decide it. Nothing was changed.',
    );
    expect(await counts(store)).toEqual(before);
    expect((await getFinding(store.db, findingId)).state).toBe('escalation_pending');
    // Listing hides one's own requests from oneself; another approver sees it with its buttons.
    expect(said(await dispatchCommand(registry, ctx(dana), 'approvals'))).toMatch(
      /^Nothing is waiting for your decision/,
    );
    const list = replyOf(await dispatchCommand(registry, ctx(pat), 'approvals'));
    expect(list.text).toBe(
      `Waiting for your decision:\nRisk acceptance #${requestId}: Accept the risk until a date until 2026-09-30 (Acme Health Cloud, finding #${findingId})`,
    );
    expect(buttonsOf(list.blocks)).toEqual(['Approve', 'Reject']);
  });

  it('refuses a viewer at every button, before any form opens, and writes nothing', async () => {
    const before = await counts(store);
    const refusal =
      "You don't have permission to act on this finding (the vendor owner, analysts and admins). Nothing was changed.";
    for (const action of ['finding.ack', 'finding.assign', 'finding.escalate', 'finding.fixed', 'finding.accept']) {
      expect(replyOf(await click(vic, action, findingId))).toEqual({ visibility: 'ephemeral', text: refusal });
    }
    const analystsOnly =
      "You don't have permission to resolve or verify findings (analysts and admins; owners mark them fixed). Nothing was changed.";
    for (const who of [vic, olive]) {
      expect(said(await click(who, 'finding.resolve', findingId))).toBe(analystsOnly);
      expect(said(await submit(who, 'finding.resolve', { note: 'looks fine' }, findingId))).toBe(analystsOnly);
    }
    expect(said(await submit(vic, 'finding.fixed', { note: 'looks fine' }, findingId))).toBe(refusal);
    await submit(olive, 'finding.escalate', { reason: 'PHI', action: 'invoke_irp' }, findingId);
    const requestId = (await getFinding(store.db, findingId)).pending_request?.id ?? 0;
    const afterRequest = await counts(store);
    const notApprover = "You don't have permission to approve or reject requests (approvers). Nothing was changed.";
    expect(said(await click(vic, 'approval.approve', requestId))).toBe(notApprover);
    expect(said(await click(vic, 'approval.reject', requestId))).toBe(notApprover);
    expect(await counts(store)).toEqual(afterRequest);
    expect(afterRequest.signatures).toBe(before.signatures);
    expect(said(await dispatchCommand(registry, ctx(vic), 'approvals'))).toBe(
      'Only approvers can approve or reject requests. Approvers: <@slack:UDANA|slack:UDANA>, ' +
        '<@slack:UPAT|slack:UPAT>, <@slack:UQUINN|slack:UQUINN>.',
    );
  });

  it('never resolves past a waiting request: its requester withdraws it with a reason, both cards say so, then an analyst resolves', async () => {
    await submit(olive, 'finding.escalate', { reason: 'PHI', action: 'invoke_irp' }, findingId);
    const requestId = (await getFinding(store.db, findingId)).pending_request?.id ?? 0;
    expect(said(await click(dana, 'finding.resolve', findingId))).toBe(
      `An approval request on finding #${findingId} is already waiting for a decision. ` +
        'Olive Owner asked for its escalation at 2026-06-01 09:00 UTC.',
    );
    expect(said(await click(dana, 'finding.withdraw', findingId))).toBe(
      'Only the person who made the request can withdraw it. Nothing was changed.',
    );
    expect(await click(olive, 'finding.withdraw', findingId)).toMatchObject({ form: { id: 'finding.withdraw' } });
    expect(await submit(olive, 'finding.withdraw', {}, findingId)).toEqual({
      fieldErrors: { reason: 'Say why: the approvers read this.' },
    });
    expect(said(await submit(olive, 'finding.withdraw', { reason: 'Vendor closed it' }, findingId))).toBe(
      `Withdrew request #${requestId}. Both cards show who withdrew it and why.`,
    );
    expect(textOf(await rendered('approval-card'))).toContain(
      'Withdrawn by Olive Owner at 2026-06-01 09:00 UTC: Vendor closed it. Nothing was signed.',
    );
    expect(textOf(await rendered('finding-card'))).toContain(
      'request withdrawn by Olive Owner at 2026-06-01 09:00 UTC',
    );
    expect(await submit(dana, 'finding.resolve', {}, findingId)).toEqual({
      fieldErrors: { note: 'Say what was done: the note is kept with the finding.' },
    });
    expect(said(await submit(dana, 'finding.resolve', { note: 'Index closed' }, findingId))).toBe(
      `Resolved finding #${findingId}. The card and its thread show your note.`,
    );
    const card = await rendered('finding-card');
    expect(buttonsOf(card?.blocks)).toEqual([]);
    expect(textOf(card)).toContain('Resolved by Dana Analyst at 2026-06-01 09:00 UTC: Index closed');
    expect(said(await click(pat, 'approval.approve', requestId))).toBe(
      'This escalation request was withdrawn by Olive Owner: Vendor closed it',
    );
    expect(said(await click(olive, 'finding.escalate', findingId))).toBe(
      'Already resolved by Dana Analyst at 2026-06-01 09:00 UTC.',
    );
  });

  it('closes by verified fix from the card: the owner marks it fixed, another analyst verifies', async () => {
    expect(await click(olive, 'finding.fixed', findingId)).toMatchObject({ form: { id: 'finding.fixed' } });
    expect(said(await submit(olive, 'finding.fixed', { note: 'Port closed' }, findingId))).toBe(
      `Marked finding #${findingId} fixed. Another analyst verifies it before it closes.`,
    );
    const waiting = await rendered('finding-card');
    expect(buttonsOf(waiting?.blocks)).toEqual(['Verify fix', 'Send back']);
    expect(said(await click(olive, 'finding.verify', findingId))).toContain("You don't have permission to resolve");
    expect(await click(dana, 'finding.sendback', findingId)).toMatchObject({ form: { id: 'finding.sendback' } });
    expect(said(await click(dana, 'finding.verify', findingId))).toBe(
      `Verified the fix; finding #${findingId} is resolved.`,
    );
    expect(textOf(await rendered('finding-card'))).toContain(
      'Resolved by Dana Analyst at 2026-06-01 09:00 UTC: Port closed',
    );
  });

  it('renders nothing for a finding that no longer exists', async () => {
    const row = (await outbox(store)).find((r) => r.template === 'finding-card') as OutboxRow;
    const gone = { ...row, data: JSON.stringify({ findingId: findingId + 100 }) };
    expect(await renderNotification(store.deps)(gone)).toBeNull();
    expect(
      await renderNotification(store.deps)({ ...gone, template: 'approval-card', data: '{"requestId":99}' }),
    ).toBeNull();
    expect(await renderNotification(store.deps)(row)).not.toBeNull();
  });
});
