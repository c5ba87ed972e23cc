import { type ChatContext, type CommandModule, type FormValues, openForm, reply } from '../src/chat/command.ts';
import { ephemeral, type Form } from '../src/chat/reply.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import { dueDiligenceReply, LIFECYCLE_ACTIONS } from '../src/chat/views/lifecycle-cards.ts';
import { isUserError, UserError } from '../src/core/common/errors.ts';
import { dueDiligenceStatus } from '../src/core/lifecycle/due-diligence.ts';
import { acknowledgeIntake, assignIntake, INTAKE_DATA, requestVendor } from '../src/core/lifecycle/intake.ts';
import { displayName } from '../src/core/roles/people.ts';
import { getVendor } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';

// `/vendor request`: anyone asks for a new vendor through a form (a Slack modal, a Teams card). The
// vendor is created in `requested` with a derived tier; the intake card goes to the risk team with
// Acknowledge, Assign and Show vendor; the requester hears at each step by direct message.

export const REQUEST_FORM = 'vendor.request';

const DATA_LABELS: Record<string, string> = {
  PHI: 'PHI (patient health information)',
  PII: 'PII (personal data)',
  'trial data': 'Clinical trial data',
  none: 'None of these',
};

function requestForm(): Form {
  return {
    id: REQUEST_FORM,
    title: 'Request a new vendor',
    submitLabel: 'Send to the risk team',
    state: '',
    intro: 'The risk team reviews every new vendor before it may receive our data. You will hear where it stands.',
    fields: [
      { id: 'name', label: 'Vendor name', kind: 'text', placeholder: 'Acme Health' },
      { id: 'website', label: 'Website', kind: 'text', optional: true, placeholder: 'acme.example' },
      { id: 'service', label: 'What is the service?', kind: 'textarea', placeholder: 'eCOA for the phase II study' },
      {
        id: 'data',
        label: 'Data it will touch',
        kind: 'multiselect',
        options: INTAKE_DATA.map((d) => ({ value: d, label: DATA_LABELS[d] ?? d })),
      },
      { id: 'records', label: 'How many records?', kind: 'text', optional: true, placeholder: '25000' },
      { id: 'systems', label: 'Systems it will connect to', kind: 'textarea', optional: true },
      { id: 'start', label: 'Contract start', kind: 'date', optional: true },
      { id: 'owner', label: 'Business owner', kind: 'user', optional: true, hint: 'You, when left empty' },
    ],
  };
}

const list = (v: FormValues[string]) =>
  Array.isArray(v)
    ? v
    : (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function recordsFrom(value: string): number | null | undefined {
  const clean = value.replace(/[,_\s]/g, '');
  if (!clean) return null;
  return /^\d+$/.test(clean) ? Number(clean) : undefined;
}

async function submitRequest(ctx: ChatContext, values: FormValues) {
  const errors: Record<string, string> = {};
  if (!textValue(values, 'name')) errors.name = 'Give the vendor’s name.';
  if (!textValue(values, 'service')) errors.service = 'Say what the service is.';
  const data = list(values.data);
  if (data.length === 0) errors.data = 'Choose at least one, or “None of these”.';
  const records = recordsFrom(textValue(values, 'records'));
  if (records === undefined) errors.records = 'A whole number, such as 25000.';
  if (Object.keys(errors).length > 0) return { fieldErrors: errors };
  try {
    const { vendor } = await inTransaction(ctx.deps.db, (tx) =>
      requestVendor(tx, ctx.deps, ctx.actor, {
        name: textValue(values, 'name'),
        website: textValue(values, 'website'),
        service: textValue(values, 'service'),
        data,
        recordCount: records ?? null,
        systems: textValue(values, 'systems'),
        contractStart: textValue(values, 'start') || null,
        businessOwner: textValue(values, 'owner') || null,
      }),
    );
    return reply(
      ephemeral(
        `Sent to the risk team: **${vendor.name}** is requested (${vendor.tier} tier). It is not approved for use until due diligence is done; you will hear at each step.`,
      ),
    );
  } catch (error) {
    if (isUserError(error) && error.code === 'conflict') return { fieldErrors: { name: error.message } };
    if (isUserError(error) && error.code === 'invalid_input' && /website/.test(error.message)) {
      return { fieldErrors: { website: error.message } };
    }
    throw error;
  }
}

const vendorIdFrom = (value: string): number => {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('bad_arguments', 'That button is out of date.');
  return id;
};

export const requestModule: CommandModule = {
  command: {
    name: 'request',
    summary: 'Ask for a new vendor: the risk team reviews it before it may receive data',
    usage: 'request',
    examples: ['request'],
    parse(words: string[]) {
      if (words.length > 0) throw new UserError('bad_arguments', '`request` opens a form; it takes no further words.');
      return null;
    },
    run: async () => openForm(requestForm()),
  },
  actions: [
    {
      action: LIFECYCLE_ACTIONS.acknowledge,
      async run(ctx, value) {
        const { changed } = await inTransaction(ctx.deps.db, (tx) =>
          acknowledgeIntake(tx, ctx.deps, ctx.actor, vendorIdFrom(value)),
        );
        return reply(ephemeral(changed ? 'Acknowledged. The requester has been told.' : 'Already acknowledged.'));
      },
    },
    {
      action: LIFECYCLE_ACTIONS.assign,
      async run(ctx, value) {
        const vendor = await getVendor(ctx.deps.db, vendorIdFrom(value));
        return openForm({
          id: 'intake.assign',
          title: 'Assign due diligence',
          submitLabel: 'Assign',
          state: String(vendor.id),
          intro: `Who runs the due diligence for **${vendor.name}**?`,
          fields: [{ id: 'assignee', label: 'Analyst', kind: 'user' }],
        });
      },
    },
    {
      action: LIFECYCLE_ACTIONS.show,
      async run(ctx, value) {
        const vendor = await getVendor(ctx.deps.db, vendorIdFrom(value));
        return reply(dueDiligenceReply(await dueDiligenceStatus(ctx.deps.db, ctx.deps, vendor), ctx.deps.clock.now()));
      },
    },
  ],
  forms: [
    { form: REQUEST_FORM, submit: (ctx, values) => submitRequest(ctx, values) },
    {
      form: 'intake.assign',
      async submit(ctx, values, state) {
        const principal = textValue(values, 'assignee');
        if (!principal) return { fieldErrors: { assignee: 'Pick the analyst.' } };
        const name = (await displayName(ctx.deps.db, principal)) ?? principal;
        try {
          await inTransaction(ctx.deps.db, (tx) =>
            assignIntake(tx, ctx.deps, ctx.actor, vendorIdFrom(state), { id: principal, name }),
          );
        } catch (error) {
          if (isUserError(error) && error.code === 'invalid_input') return { fieldErrors: { assignee: error.message } };
          throw error;
        }
        return reply(ephemeral(`Assigned to ${name}. The requester has been told.`));
      },
    },
  ],
};
