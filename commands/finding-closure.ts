import { ACTIONS, type ActionId } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, openForm, reply } from '../src/chat/command.ts';
import { ephemeral, type Form } from '../src/chat/reply.ts';
import { markFixedForm, sendBackForm, withdrawForm } from '../src/chat/views/closure-forms.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import { withdrawRequest } from '../src/core/approvals/withdraw.ts';
import { forbidden } from '../src/core/common/errors.ts';
import type { FindingState } from '../src/core/common/vocabulary.ts';
import { type FindingDetail, getFinding } from '../src/core/findings/queries.ts';
import { canTransition, type FindingAction } from '../src/core/findings/states.ts';
import { refusal } from '../src/core/findings/text.ts';
import { vendorOwnerOf } from '../src/core/findings/transition.ts';
import { proposeFix, returnFix, verifyFix } from '../src/core/findings/verified-closure.ts';
import { samePerson } from '../src/core/roles/identity.ts';
import { type Permission, requirePermission } from '../src/core/roles/permissions.ts';
import { inTransaction } from '../src/store/database.ts';
import { changeFromForm, findingIdFrom } from './finding-actions.ts';

// Verified closure on the finding card: the owner's "Mark fixed", an analyst's "Verify fix" and
// "Send back", and the requester's "Withdraw request". The checks before a form opens spare people a
// form they would be refused at; the core checks again at the moment of the change.

async function findingFor(ctx: ChatContext, value: string, step: FindingAction, permission: Permission) {
  const finding = await getFinding(ctx.deps.db, findingIdFrom(value));
  const owner = permission === 'finding.triage' ? await vendorOwnerOf(ctx.deps.db, finding.vendor_id) : null;
  await requirePermission(ctx.deps.db, ctx.actor, permission, owner);
  if (!canTransition(finding.state as FindingState, step)) throw await refusal(ctx.deps.db, finding, step);
  return finding;
}

async function notProposer(ctx: ChatContext, finding: FindingDetail): Promise<FindingDetail> {
  if (await samePerson(ctx.deps.db, finding.fix_proposed_by, ctx.actor.id)) {
    throw forbidden('You marked this fix, so another analyst must check it. Nothing was changed.');
  }
  return finding;
}

async function ownRequest(ctx: ChatContext, finding: FindingDetail): Promise<FindingDetail> {
  const requester = finding.pending_request?.requested_by ?? null;
  if (!(await samePerson(ctx.deps.db, requester, ctx.actor.id))) {
    throw forbidden('Only the person who made the request can withdraw it. Nothing was changed.');
  }
  return finding;
}

const opens = (
  action: ActionId,
  load: (ctx: ChatContext, value: string) => Promise<FindingDetail>,
  form: (f: FindingDetail) => Form,
) => ({
  action,
  run: async (ctx: ChatContext, value: string) => openForm(form(await load(ctx, value))),
});

export const findingClosure: CommandModule = {
  actions: [
    opens(ACTIONS.findingFixed, (ctx, v) => findingFor(ctx, v, 'propose_fix', 'finding.triage'), markFixedForm),
    {
      action: ACTIONS.findingVerify,
      async run(ctx, value) {
        const finding = await inTransaction(ctx.deps.db, (tx) =>
          verifyFix(tx, ctx.deps, ctx.actor, findingIdFrom(value)),
        );
        return reply(ephemeral(`Verified the fix; finding #${finding.id} is resolved.`));
      },
    },
    opens(
      ACTIONS.findingSendBack,
      async (ctx, v) => notProposer(ctx, await findingFor(ctx, v, 'return_fix', 'finding.resolve')),
      sendBackForm,
    ),
    opens(
      ACTIONS.findingWithdraw,
      async (ctx, v) => ownRequest(ctx, await findingFor(ctx, v, 'withdraw_request', 'read')),
      withdrawForm,
    ),
  ],
  forms: [
    {
      form: 'finding.fixed',
      async submit(ctx, values, state) {
        const note = textValue(values, 'note');
        if (!note) return { fieldErrors: { note: 'Say what was done: an analyst reads it before verifying.' } };
        const finding = await changeFromForm(ctx, state, (tx, id) => proposeFix(tx, ctx.deps, ctx.actor, id, { note }));
        return reply(ephemeral(`Marked finding #${finding.id} fixed. Another analyst verifies it before it closes.`));
      },
    },
    {
      form: 'finding.sendback',
      async submit(ctx, values, state) {
        const reason = textValue(values, 'reason');
        if (!reason) return { fieldErrors: { reason: 'Say why: the owner reads this.' } };
        const finding = await changeFromForm(ctx, state, (tx, id) =>
          returnFix(tx, ctx.deps, ctx.actor, id, { reason }),
        );
        return reply(ephemeral(`Sent the fix for finding #${finding.id} back. The card shows your reason.`));
      },
    },
    {
      form: 'finding.withdraw',
      async submit(ctx, values, state) {
        const reason = textValue(values, 'reason');
        if (!reason) return { fieldErrors: { reason: 'Say why: the approvers read this.' } };
        const { request } = await changeFromForm(ctx, state, (tx, id) =>
          withdrawRequest(tx, ctx.deps, ctx.actor, id, { reason }),
        );
        return reply(ephemeral(`Withdrew request #${request.id}. Both cards show who withdrew it and why.`));
      },
    },
  ],
};

export default findingClosure;
