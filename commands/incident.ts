import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type CommandModule, type FormHandler, openForm, reply } from '../src/chat/command.ts';
import { ephemeral, type Form, mention } from '../src/chat/reply.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import { clockForm, closeForm, declareForm, signForm } from '../src/chat/views/incident-forms.ts';
import { manifestation } from '../src/core/audit/signatures.ts';
import { UserError } from '../src/core/common/errors.ts';
import type { EVIDENCE_TYPES, TIERS } from '../src/core/common/vocabulary.ts';
import { getFinding } from '../src/core/findings/queries.ts';
import { clockName, markClockMet } from '../src/core/incidents/clocks.ts';
import {
  assertMaySign,
  loadDecision,
  requestClosure,
  requestNotRequired,
  signDecision,
} from '../src/core/incidents/decisions.ts';
import { declareIncident, scenarioNames } from '../src/core/incidents/declare.ts';
import { findPlaybook, loadPlaybooks } from '../src/core/incidents/playbooks.ts';
import { getIncidentDetail } from '../src/core/incidents/queries.ts';
import { advanceIncident, assignTask, completeTask } from '../src/core/incidents/work.ts';
import { displayName } from '../src/core/roles/people.ts';
import { pinRequired } from '../src/core/signing/pin.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import { signingPinFields, signingPinRefusal } from './pin.ts';
import { badArguments, nameFrom } from './support/args.ts';

// `/vendor incident "<vendor>" <scenario> <summary>` declares at once; the incident card's buttons and
// forms work it: tasks done and assigned, clocks met or proposed as not required, the state moved on,
// and decisions signed by an approver. The core queues the card edit and the timeline line.

interface DeclareArgs {
  vendor: string;
  scenario: string;
  summary: string;
}

function parseDeclare(words: string[]): DeclareArgs {
  const at = words.findIndex((w, i) => i > 0 && findPlaybook(w) !== null);
  if (at < 0) throw badArguments(`Name the vendor, then the scenario (${scenarioNames()}) and what happened.`);
  const summary = words
    .slice(at + 1)
    .join(' ')
    .trim();
  if (!summary) throw badArguments('Say what happened, after the scenario.');
  return { vendor: nameFrom(words.slice(0, at)), scenario: words[at] ?? '', summary };
}

/** An id as the bot writes it into a button: digits, no sign, no leading zero, no exponent or hex. */
const idFrom = (value: string): number => {
  const id = /^[1-9]\d{0,14}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(id))
    throw new UserError('bad_arguments', 'That button is out of date. Look at the incident card again.');
  return id;
};

function taskFrom(value: string): { incidentId: number; number: number } {
  const [incident, number] = value.split(':');
  return { incidentId: idFrom(incident ?? ''), number: idFrom(number ?? '') };
}

const confirm = (text: string) => reply(ephemeral(text));

/** The clocks still running on an incident, for a form that records one of them. */
async function runningClockForm(ctx: ChatContext, value: string, kind: 'met' | 'not-required'): Promise<Form> {
  const d = await getIncidentDetail(ctx.deps.db, idFrom(value));
  const running = d.clocks.filter((c) => c.state === 'running');
  if (running.length === 0) throw new UserError('invalid_state', 'No clock is running on this incident.');
  return clockForm(d, running, kind);
}

/** The signing confirmation, once the person is known to be allowed to sign the decision. */
async function decisionSignForm(ctx: ChatContext, decisionId: number): Promise<Form> {
  const decision = await loadDecision(ctx.deps.db, decisionId);
  await assertMaySign(ctx.deps.db, ctx.actor, decision);
  return signForm(decision, signingPinFields(ctx));
}

async function signIncident(ctx: ChatContext, decisionId: number) {
  const { signature, decision } = await inTransaction(ctx.deps.db, (tx) =>
    signDecision(tx, ctx.deps, ctx.actor, decisionId),
  );
  return confirm(`Signed decision D${decision.id}. ${manifestation(signature)}.`);
}

const forms: FormHandler[] = [
  {
    form: 'incident.sign',
    async submit(ctx, values, state) {
      await assertMaySign(ctx.deps.db, ctx.actor, await loadDecision(ctx.deps.db, idFrom(state)));
      const refused = await signingPinRefusal(ctx, values);
      if (refused) return refused;
      return signIncident(ctx, idFrom(state));
    },
  },
  {
    form: 'incident.declare',
    async submit(ctx, values, state) {
      const summary = textValue(values, 'summary');
      if (!summary) return { fieldErrors: { summary: 'Say in a few words what happened.' } };
      const finding = await getFinding(ctx.deps.db, idFrom(state));
      const incident = await inTransaction(ctx.deps.db, (tx) =>
        declareIncident(tx, ctx.deps, ctx.actor, {
          vendorId: finding.vendor_id,
          scenario: textValue(values, 'scenario') || 'datastore-exposed',
          summary,
          findingIds: [finding.id],
        }),
      );
      return confirm(`Declared incident #${incident.id}; you lead it. Its card shows the clocks and the next tasks.`);
    },
  },
  {
    form: 'incident.assign',
    async submit(ctx, values, state) {
      const principal = textValue(values, 'assignee');
      if (!principal) return { fieldErrors: { assignee: 'Pick the person who will do it.' } };
      const name = (await displayName(ctx.deps.db, principal)) ?? principal;
      const { incidentId, number } = taskFrom(state);
      await inTransaction(ctx.deps.db, (tx) =>
        assignTask(tx, ctx.deps, ctx.actor, incidentId, number, { id: principal, name }),
      );
      return confirm(`Assigned T${number} of incident #${incidentId} to ${mention(principal, name)}.`);
    },
  },
  {
    form: 'incident.met',
    async submit(ctx, values) {
      const note = textValue(values, 'note');
      if (!note) return { fieldErrors: { note: 'Say how it was met.' } };
      const { clock } = await inTransaction(ctx.deps.db, (tx) =>
        markClockMet(tx, ctx.deps, ctx.actor, idFrom(textValue(values, 'clock')), { note }),
      );
      return confirm(
        `Recorded ${clockName(clock)} as ${clock.state === 'met' ? 'met' : 'missed (the vendor told us late)'}.`,
      );
    },
  },
  {
    form: 'incident.not-required',
    async submit(ctx, values) {
      const reason = textValue(values, 'reason');
      if (!reason) return { fieldErrors: { reason: 'Say why: the regulator may ask.' } };
      const { decision } = await inTransaction(ctx.deps.db, (tx) =>
        requestNotRequired(tx, ctx.deps, ctx.actor, idFrom(textValue(values, 'clock')), reason),
      );
      return confirm(`Asked the approvers to sign decision D${decision.id}. The clock runs until someone signs.`);
    },
  },
  {
    form: 'incident.close',
    async submit(ctx, values, state) {
      const lessons = textValue(values, 'lessons');
      if (!lessons) return { fieldErrors: { lessons: 'Write down what was learned.' } };
      const raw = values.evidence;
      const evidence = (Array.isArray(raw) ? raw : raw ? [raw] : []) as (typeof EVIDENCE_TYPES)[number][];
      const { decision } = await inTransaction(ctx.deps.db, (tx) =>
        requestClosure(tx, ctx.deps, ctx.actor, idFrom(state), {
          lessons,
          followUps: textValue(values, 'followups').split('\n'),
          tier: (textValue(values, 'tier') || null) as (typeof TIERS)[number] | null,
          nextReviewOn: textValue(values, 'next_review') || null,
          evidence,
        }),
      );
      return confirm(`Asked the approvers to sign the closure (decision D${decision.id}).`);
    },
  },
];

export const incidentModule: CommandModule = {
  command: {
    name: 'incident',
    summary: 'Declare a vendor incident now: its playbook, its regulatory clocks, one card',
    permission: 'incident.work',
    usage: 'incident <vendor> <scenario> <what happened>',
    examples: ['incident "Northstar Trials Network" datastore Elasticsearch open without authentication'],
    parse: parseDeclare,
    async run(ctx, args: DeclareArgs) {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      const incident = await inTransaction(ctx.deps.db, (tx) =>
        declareIncident(tx, ctx.deps, ctx.actor, {
          vendorId: vendor.id,
          scenario: args.scenario,
          summary: args.summary,
        }),
      );
      return confirm(
        `Declared incident #${incident.id} at **${vendor.name}**; you lead it. Its card shows the clocks and the next tasks.`,
      );
    },
  },
  actions: [
    {
      action: ACTIONS.incidentDeclare,
      async run(ctx, value) {
        const finding = await getFinding(ctx.deps.db, idFrom(value));
        return openForm(declareForm(finding.id, finding.title, [...loadPlaybooks().values()]));
      },
    },
    {
      action: ACTIONS.incidentDone,
      async run(ctx, value) {
        const { incidentId, number } = taskFrom(value);
        await inTransaction(ctx.deps.db, (tx) => completeTask(tx, ctx.deps, ctx.actor, incidentId, number));
        return confirm(`T${number} of incident #${incidentId} is done. The card and its timeline show it.`);
      },
    },
    {
      action: ACTIONS.incidentAssign,
      run: async (_ctx, value) =>
        openForm({
          id: 'incident.assign',
          title: 'Assign task',
          submitLabel: 'Assign',
          state: value,
          fields: [{ id: 'assignee', label: 'Who does it?', kind: 'user' }],
        }),
    },
    { action: ACTIONS.incidentMet, run: async (ctx, value) => openForm(await runningClockForm(ctx, value, 'met')) },
    {
      action: ACTIONS.incidentNotRequired,
      run: async (ctx, value) => openForm(await runningClockForm(ctx, value, 'not-required')),
    },
    {
      action: ACTIONS.incidentContained,
      async run(ctx, value) {
        const incident = await inTransaction(ctx.deps.db, (tx) =>
          advanceIncident(tx, ctx.deps, ctx.actor, idFrom(value), 'contained'),
        );
        return confirm(`Incident #${incident.id} is marked contained.`);
      },
    },
    {
      action: ACTIONS.incidentNotified,
      async run(ctx, value) {
        const incident = await inTransaction(ctx.deps.db, (tx) =>
          advanceIncident(tx, ctx.deps, ctx.actor, idFrom(value), 'notifications_done'),
        );
        return confirm(`Incident #${incident.id}: notifications done. Close it with the post-incident review.`);
      },
    },
    { action: ACTIONS.incidentClose, run: async (_ctx, value) => openForm(closeForm(idFrom(value))) },
    {
      action: ACTIONS.incidentSign,
      async run(ctx, value) {
        if (pinRequired(ctx.deps)) return openForm(await decisionSignForm(ctx, idFrom(value)));
        return signIncident(ctx, idFrom(value));
      },
    },
  ],
  forms,
};
