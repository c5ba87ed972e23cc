import { ACTIONS, type ActionId } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, type FormHandler, openForm, reply } from '../src/chat/command.ts';
import { ephemeral, type Form, mention } from '../src/chat/reply.ts';
import { requestSummary } from '../src/chat/views/approval-card.ts';
import {
  acceptForm,
  assignForm,
  checkAcceptance,
  checkEscalation,
  escalateForm,
  readFindingFormState,
  resolveForm,
  textValue,
} from '../src/chat/views/finding-forms.ts';
import { requestEscalation, requestRiskAcceptance } from '../src/core/approvals/request.ts';
import { todayOf } from '../src/core/common/dates.ts';
import { UserError } from '../src/core/common/errors.ts';
import { acknowledge, assign, resolve } from '../src/core/findings/actions.ts';
import { type FindingDetail, getFinding } from '../src/core/findings/queries.ts';
import { requireUnchangedSince } from '../src/core/findings/seen-version.ts';
import { canTransition, type FindingAction } from '../src/core/findings/states.ts';
import { refusal } from '../src/core/findings/text.ts';
import { vendorOwnerOf } from '../src/core/findings/transition.ts';
import { displayName } from '../src/core/roles/people.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { inTransaction, type Tx } from '../src/store/database.ts';

// The finding card's buttons and the forms they open. The core changes the finding and queues the
// card edit and the thread line in the same transaction, so each handler only confirms to the person
// who clicked. Refusals (no permission, someone got there first) come from the core as UserErrors.

/** A finding id from a button value or form state. */
export function findingIdFrom(value: string): number {
  const { id } = readFindingFormState(value);
  if (!Number.isInteger(id) || id <= 0)
    throw new UserError('bad_arguments', 'That button is out of date. Look the finding up again.');
  return id;
}

/**
 * Checked before a form opens, so nobody fills one in only to be refused; the core checks again on
 * submit, at the moment of the change.
 */
async function findingFor(ctx: ChatContext, value: string, step: FindingAction): Promise<FindingDetail> {
  const finding = await getFinding(ctx.deps.db, findingIdFrom(value));
  const owner = await vendorOwnerOf(ctx.deps.db, finding.vendor_id);
  await requirePermission(ctx.deps.db, ctx.actor, step === 'resolve' ? 'finding.resolve' : 'finding.triage', owner);
  if (!canTransition(finding.state, step)) throw await refusal(ctx.deps.db, finding, step);
  return finding;
}

/**
 * Runs a form's change in one write transaction, refused first if the finding changed since the form
 * opened (someone else acted in between; see seen-version.ts).
 */
export function changeFromForm<T>(ctx: ChatContext, state: string, change: (tx: Tx, findingId: number) => Promise<T>) {
  const findingId = findingIdFrom(state);
  return inTransaction(ctx.deps.db, async (tx) => {
    await requireUnchangedSince(tx, findingId, readFindingFormState(state).version);
    return change(tx, findingId);
  });
}

const opens = (action: ActionId, step: FindingAction, form: (f: FindingDetail) => Form) => ({
  action,
  run: async (ctx: ChatContext, value: string) => openForm(form(await findingFor(ctx, value, step))),
});

const confirm = (text: string) => reply(ephemeral(text));

const assignSubmit: FormHandler = {
  form: 'finding.assign',
  async submit(ctx, values, state) {
    const principal = textValue(values, 'assignee');
    if (!principal) return { fieldErrors: { assignee: 'Pick the person who will work on it.' } };
    const name = (await displayName(ctx.deps.db, principal)) ?? principal;
    const finding = await changeFromForm(ctx, state, (tx, id) =>
      assign(tx, ctx.deps, ctx.actor, id, { id: principal, name }),
    );
    return confirm(`Assigned finding #${finding.id} to ${mention(principal, name)}. They have a direct message.`);
  },
};

const escalateSubmit: FormHandler = {
  form: 'finding.escalate',
  async submit(ctx, values, state) {
    const checked = checkEscalation(values, todayOf(ctx.deps));
    if (!checked.ok) return { fieldErrors: checked.fieldErrors };
    const { request } = await changeFromForm(ctx, state, (tx, id) =>
      requestEscalation(tx, ctx.deps, ctx.actor, id, checked.input),
    );
    return confirm(`Asked the approvers: ${requestSummary(request)}. The finding card shows it until someone decides.`);
  },
};

const acceptSubmit: FormHandler = {
  form: 'finding.accept',
  async submit(ctx, values, state) {
    const checked = checkAcceptance(values, todayOf(ctx.deps));
    if (!checked.ok) return { fieldErrors: checked.fieldErrors };
    const { request } = await changeFromForm(ctx, state, (tx, id) =>
      requestRiskAcceptance(tx, ctx.deps, ctx.actor, id, checked.input),
    );
    return confirm(`Asked the approvers: ${requestSummary(request)}. The finding card shows it until someone decides.`);
  },
};

const resolveSubmit: FormHandler = {
  form: 'finding.resolve',
  async submit(ctx, values, state) {
    const note = textValue(values, 'note');
    if (!note) return { fieldErrors: { note: 'Say what was done: the note is kept with the finding.' } };
    const finding = await changeFromForm(ctx, state, (tx, id) => resolve(tx, ctx.deps, ctx.actor, id, { note }));
    return confirm(`Resolved finding #${finding.id}. The card and its thread show your note.`);
  },
};

export const findingActions: CommandModule = {
  actions: [
    {
      action: ACTIONS.findingAck,
      async run(ctx, value) {
        const finding = await inTransaction(ctx.deps.db, (tx) =>
          acknowledge(tx, ctx.deps, ctx.actor, findingIdFrom(value)),
        );
        return confirm(`Acknowledged finding #${finding.id}. The card now shows it for everyone.`);
      },
    },
    opens(ACTIONS.findingAssign, 'assign', assignForm),
    opens(ACTIONS.findingEscalate, 'escalate', escalateForm),
    opens(ACTIONS.findingResolve, 'resolve', resolveForm),
    opens(ACTIONS.findingAccept, 'request_acceptance', acceptForm),
  ],
  forms: [assignSubmit, escalateSubmit, acceptSubmit, resolveSubmit],
};

export default findingActions;
