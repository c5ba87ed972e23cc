import { type ChatContext, type CommandModule, openForm, reply } from '../src/chat/command.ts';
import { inert } from '../src/chat/inert.ts';
import { ephemeral, type Form } from '../src/chat/reply.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import { LIFECYCLE_ACTIONS } from '../src/chat/views/lifecycle-cards.ts';
import { manifestation } from '../src/core/audit/signatures.ts';
import { conflict, forbidden, isUserError, UserError } from '../src/core/common/errors.ts';
import {
  type ActivationDecisionInput,
  decideActivation,
  loadActivationRequest,
  markReceivingData,
  requestActivation,
} from '../src/core/lifecycle/activation.ts';
import { sameDecider } from '../src/core/lifecycle/sign.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { pinRequired } from '../src/core/signing/pin.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import { signingPinFields, signingPinRefusal } from './pin.ts';
import { nameFrom, readOptions } from './support/args.ts';

// `/vendor activate "<vendor>" [reason:"…"]` (analysts). In due diligence it asks the approvers: the
// activation card offers Approve for use (behind the signing dialog), Approve with conditions (naming
// the findings accepted as risk) and Reject (with a reason). Once approved, the same command marks the
// vendor as receiving data (active). Refused while required evidence is missing.

const requestIdFrom = (value: string): number => {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('bad_arguments', 'That button is out of date.');
  return id;
};

async function decidable(ctx: ChatContext, requestId: number) {
  await requirePermission(ctx.deps.db, ctx.actor, 'approval.decide');
  const request = await loadActivationRequest(ctx.deps.db, requestId);
  if (request.state !== 'pending') throw conflict('This activation was already decided.');
  if (sameDecider(request.requested_by, ctx.actor)) {
    throw forbidden('You asked for this activation, so another approver must decide it. Nothing was changed.');
  }
  return request;
}

type DecisionKind = 'approve' | 'conditions' | 'reject';

/** The signing confirmation: what the decision needs said, and the signer's PIN (SIGNATURE_MODE=pin). */
function decisionForm(ctx: ChatContext, id: string, title: string, requestId: number, kind: DecisionKind): Form {
  const meaning = kind === 'reject' ? 'rejection' : 'approval';
  const pin = pinRequired(ctx.deps) ? ' and your signing PIN' : '';
  const asked: Form['fields'] =
    kind === 'conditions'
      ? [
          { id: 'findings', label: 'Findings accepted as risk', kind: 'text', placeholder: '#12, #14' },
          { id: 'reason', label: 'Conditions', kind: 'textarea', optional: true },
        ]
      : kind === 'reject'
        ? [{ id: 'reason', label: 'Why reject it?', kind: 'textarea', placeholder: 'The requester reads this' }]
        : [];
  return {
    id,
    title,
    submitLabel: kind === 'reject' ? 'Sign and reject' : 'Sign and approve',
    state: String(requestId),
    intro: `You are signing electronically with your chat identity${pin}. Your name, the UTC time and the meaning '${meaning}' are recorded and shown.`,
    fields: [...asked, ...signingPinFields(ctx)],
  };
}

async function signDecision(ctx: ChatContext, requestId: number, input: ActivationDecisionInput) {
  const { signature, vendor } = await inTransaction(ctx.deps.db, (tx) =>
    decideActivation(tx, ctx.deps, ctx.actor, requestId, input),
  );
  const what = input.decision === 'rejected' ? 'Rejected' : 'Approved';
  return reply(ephemeral(`${what}: ${inert(vendor.name)}. ${manifestation(signature)}.`));
}

export const activateModule: CommandModule = {
  command: {
    name: 'activate',
    summary: 'Ask the approvers to approve a vendor for use; once approved, mark it as receiving data',
    permission: 'vendor.write',
    usage: 'activate <vendor> [reason:"…"]',
    examples: ['activate "Acme Health" reason:"due diligence complete"'],
    parse(words: string[]) {
      const { words: rest, options } = readOptions(words, ['reason']);
      return { vendor: nameFrom(rest), reason: options.get('reason') ?? '' };
    },
    async run(ctx, args: { vendor: string; reason: string }) {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      if (vendor.status === 'approved') {
        await inTransaction(ctx.deps.db, (tx) => markReceivingData(tx, ctx.deps, ctx.actor, vendor.id));
        return reply(
          ephemeral(
            `**${inert(vendor.name)}** is active: approved for use and receiving data. Its review cadence has started.`,
          ),
        );
      }
      const { request, created } = await inTransaction(ctx.deps.db, (tx) =>
        requestActivation(tx, ctx.deps, ctx.actor, vendor.id, args.reason),
      );
      return reply(
        ephemeral(
          created
            ? `Asked the approvers to approve **${inert(vendor.name)}** for use (activation #${request.id}). Another person must sign it.`
            : `Activation #${request.id} for **${inert(vendor.name)}** is already waiting for an approver.`,
        ),
      );
    },
  },
  actions: [
    {
      action: LIFECYCLE_ACTIONS.approve,
      async run(ctx, value) {
        if (!pinRequired(ctx.deps)) return signDecision(ctx, requestIdFrom(value), { decision: 'approved_for_use' });
        const request = await decidable(ctx, requestIdFrom(value));
        return openForm(decisionForm(ctx, 'activation.approve', 'Approve for use', request.id, 'approve'));
      },
    },
    {
      action: LIFECYCLE_ACTIONS.conditions,
      async run(ctx, value) {
        const request = await decidable(ctx, requestIdFrom(value));
        return openForm(
          decisionForm(ctx, 'activation.conditions', 'Approve with conditions', request.id, 'conditions'),
        );
      },
    },
    {
      action: LIFECYCLE_ACTIONS.reject,
      async run(ctx, value) {
        const request = await decidable(ctx, requestIdFrom(value));
        return openForm(decisionForm(ctx, 'activation.reject', 'Reject activation', request.id, 'reject'));
      },
    },
  ],
  forms: [
    {
      form: 'activation.approve',
      async submit(ctx, values, state) {
        await decidable(ctx, requestIdFrom(state));
        const refused = await signingPinRefusal(ctx, values);
        if (refused) return refused;
        return signDecision(ctx, requestIdFrom(state), { decision: 'approved_for_use' });
      },
    },
    {
      form: 'activation.conditions',
      async submit(ctx, values, state) {
        const ids = [...textValue(values, 'findings').matchAll(/\d+/g)].map((m) => Number(m[0]));
        if (ids.length === 0) return { fieldErrors: { findings: 'Name the findings accepted as risk, such as #12.' } };
        await decidable(ctx, requestIdFrom(state));
        const refused = await signingPinRefusal(ctx, values);
        if (refused) return refused;
        try {
          return await signDecision(ctx, requestIdFrom(state), {
            decision: 'approved_with_conditions',
            acceptedFindings: ids,
            reason: textValue(values, 'reason') || null,
          });
        } catch (error) {
          if (isUserError(error) && error.code === 'invalid_input') return { fieldErrors: { findings: error.message } };
          throw error;
        }
      },
    },
    {
      form: 'activation.reject',
      async submit(ctx, values, state) {
        const reason = textValue(values, 'reason');
        if (!reason) return { fieldErrors: { reason: 'Say why: the requester reads this.' } };
        await decidable(ctx, requestIdFrom(state));
        const refused = await signingPinRefusal(ctx, values);
        if (refused) return refused;
        return signDecision(ctx, requestIdFrom(state), { decision: 'rejected', reason });
      },
    },
  ],
};
