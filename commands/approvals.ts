import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type Command, type CommandModule, openForm, reply } from '../src/chat/command.ts';
import { inert } from '../src/chat/inert.ts';
import { type Block, ephemeral, type Form } from '../src/chat/reply.ts';
import { decisionLine, pendingApprovalBlocks, requestSummary } from '../src/chat/views/approval-card.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import { pendingActivations } from '../src/chat/views/lifecycle-cards.ts';
import { person } from '../src/chat/views/wording.ts';
import { decide } from '../src/core/approvals/decide.ts';
import { type ApprovalDetail, getApprovalRequest, pendingApprovalsFor } from '../src/core/approvals/queries.ts';
import { manifestation } from '../src/core/audit/signatures.ts';
import { conflict, forbidden, UserError } from '../src/core/common/errors.ts';
import { displayName } from '../src/core/roles/people.ts';
import { listGrants, requirePermission, rolesOf } from '../src/core/roles/permissions.ts';
import { pinRequired } from '../src/core/signing/pin.ts';
import { inTransaction } from '../src/store/database.ts';
import { signingPinFields, signingPinRefusal } from './pin.ts';

// Deciding escalations and risk acceptances. A decision is an electronic signature: Approve sits
// behind a dialog stating what signing means, Reject asks for a reason, and the core records the
// printed name, UTC time and meaning bound to the request. The core queues the edits of the approval
// card and the finding card; the approver hears back privately.

const SHOWN = 20;

function requestIdFrom(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0)
    throw new UserError('bad_arguments', 'That button is out of date. Run `approvals` again.');
  return id;
}

/** Who may decide, for people who may not: everyone granted the approver role, as mentions. */
async function approverNames(ctx: ChatContext): Promise<string[]> {
  const grants = (await listGrants(ctx.deps.db)).filter((g) => g.role === 'approver');
  const names: string[] = [];
  for (const g of grants) names.push(person(g.principal, await displayName(ctx.deps.db, g.principal)));
  return names;
}

/** The checks a Reject form needs before it opens; the core repeats them when the decision is made. */
async function decidable(ctx: ChatContext, requestId: number): Promise<ApprovalDetail> {
  await requirePermission(ctx.deps.db, ctx.actor, 'approval.decide');
  const request = await getApprovalRequest(ctx.deps.db, requestId);
  if (request.state !== 'pending') throw conflict(decisionLine(request) ?? 'This request was already decided.');
  if (request.requested_by === ctx.actor.id) {
    throw forbidden('You made this request, so another approver must decide it. Nothing was changed.');
  }
  return request;
}

const approvalsCommand: Command<null> = {
  name: 'approvals',
  summary: 'Escalations and risk acceptances waiting for your decision',
  permission: 'approval.decide',
  usage: 'approvals',
  examples: ['approvals'],
  parse(words) {
    if (words.length > 0) throw new UserError('bad_arguments', '`approvals` takes no further words.');
    return null;
  },
  async run(ctx) {
    if (!(await rolesOf(ctx.deps.db, ctx.actor.id)).has('approver')) {
      const names = await approverNames(ctx);
      const who =
        names.length > 0
          ? `Approvers: ${names.join(', ')}.`
          : 'Nobody has the approver role yet; an admin can grant it.';
      return reply(ephemeral(`Only approvers can approve or reject requests. ${who}`));
    }
    const pending = await pendingApprovalsFor(ctx.deps.db, ctx.actor.id);
    // Vendor activations wait for approvers too (src/core/lifecycle/activation.ts).
    const activations = await pendingActivations(ctx.deps.db, ctx.actor.id);
    if (pending.length === 0 && activations.lines.length === 0)
      return reply(
        ephemeral('Nothing is waiting for your decision. Requests you made yourself go to other approvers.'),
      );
    const total = pending.length + activations.lines.length;
    const blocks: Block[] = [{ type: 'header', text: `Waiting for your decision (${total})` }];
    for (const request of pending.slice(0, SHOWN)) blocks.push(...pendingApprovalBlocks(request));
    if (pending.length > SHOWN)
      blocks.push({ type: 'context', text: `…and ${pending.length - SHOWN} more, oldest first.` });
    // Each activation is a text and an actions block; keep within a message's 50 blocks.
    const room = Math.max(0, Math.floor((48 - blocks.length) / 2) * 2);
    blocks.push(...activations.blocks.slice(0, room));
    const lines = [
      ...pending.map((r) => `${requestSummary(r)} (${inert(r.vendor_name)}, finding #${r.finding_id})`),
      ...activations.lines,
    ];
    return reply(ephemeral(`Waiting for your decision:\n${lines.join('\n')}`, blocks));
  },
};

function approveForm(ctx: ChatContext, request: ApprovalDetail): Form {
  return {
    id: 'approval.approve',
    title: 'Approve request',
    submitLabel: 'Sign and approve',
    state: String(request.id),
    intro:
      `**${requestSummary(request)}** for finding #${request.finding_id} on ${inert(request.vendor_name)}: ${inert(request.finding_title)}\n` +
      "You are signing this approval electronically with your chat identity and your signing PIN. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
    fields: signingPinFields(ctx),
  };
}

function rejectForm(ctx: ChatContext, request: ApprovalDetail): Form {
  return {
    id: 'approval.reject',
    title: 'Reject request',
    submitLabel: 'Sign and reject',
    state: String(request.id),
    intro:
      `**${requestSummary(request)}** for finding #${request.finding_id} on ${inert(request.vendor_name)}: ${inert(request.finding_title)}\n` +
      "You are signing this rejection electronically. Your name, the UTC time and the meaning 'rejection' are recorded and shown, with your reason.",
    fields: [
      { id: 'reason', label: 'Why reject it?', kind: 'textarea', placeholder: 'The requester reads this' },
      ...signingPinFields(ctx),
    ],
  };
}

export const approvals: CommandModule = {
  command: approvalsCommand,
  actions: [
    {
      action: ACTIONS.approvalApprove,
      async run(ctx, value) {
        if (pinRequired(ctx.deps)) return openForm(approveForm(ctx, await decidable(ctx, requestIdFrom(value))));
        const { signature } = await inTransaction(ctx.deps.db, (tx) =>
          decide(tx, ctx.deps, ctx.actor, requestIdFrom(value), { decision: 'approve' }),
        );
        return reply(ephemeral(`Approved. ${manifestation(signature)}. The request and the finding card now show it.`));
      },
    },
    {
      action: ACTIONS.approvalReject,
      run: async (ctx, value) => openForm(rejectForm(ctx, await decidable(ctx, requestIdFrom(value)))),
    },
  ],
  forms: [
    {
      form: 'approval.approve',
      async submit(ctx, values, state) {
        await decidable(ctx, requestIdFrom(state));
        const refused = await signingPinRefusal(ctx, values);
        if (refused) return refused;
        const { signature } = await inTransaction(ctx.deps.db, (tx) =>
          decide(tx, ctx.deps, ctx.actor, requestIdFrom(state), { decision: 'approve' }),
        );
        return reply(ephemeral(`Approved. ${manifestation(signature)}. The request and the finding card now show it.`));
      },
    },
    {
      form: 'approval.reject',
      async submit(ctx, values, state) {
        const reason = textValue(values, 'reason');
        if (!reason) return { fieldErrors: { reason: 'Say why: the requester reads this.' } };
        await decidable(ctx, requestIdFrom(state));
        const refused = await signingPinRefusal(ctx, values);
        if (refused) return refused;
        const { signature } = await inTransaction(ctx.deps.db, (tx) =>
          decide(tx, ctx.deps, ctx.actor, requestIdFrom(state), { decision: 'reject', reason }),
        );
        return reply(ephemeral(`Rejected. ${manifestation(signature)}. The request and the finding card now show it.`));
      },
    },
  ],
};

export default approvals;
