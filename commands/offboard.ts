import { type ChatContext, type CommandModule, openForm, reply } from '../src/chat/command.ts';
import { inert } from '../src/chat/inert.ts';
import { ephemeral } from '../src/chat/reply.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import { LIFECYCLE_ACTIONS, offboardingCard } from '../src/chat/views/lifecycle-cards.ts';
import { manifestation } from '../src/core/audit/signatures.ts';
import { isUserError, UserError } from '../src/core/common/errors.ts';
import {
  assertMaySignOff,
  completeItem,
  ITEM_LABELS,
  loadOffboarding,
  type OffboardingItem,
  parseItem,
  signOffOffboarding,
  startOffboarding,
} from '../src/core/lifecycle/offboarding.ts';
import { pinRequired } from '../src/core/signing/pin.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import { signingPinFields, signingPinRefusal } from './pin.ts';
import { nameFrom, readOptions } from './support/args.ts';

// `/vendor offboard "<vendor>" [reason:"…"]` (analysts): the checklist card (access revoked, integrations
// disconnected, data returned or destroyed with its certificate, BAA/DPA termination duties), each item
// owned and dated; Sign off takes the vendor out of the cadence once every item is done and no finding is open.

const CERTIFICATE_FORM = 'offboarding.certificate';
const SIGN_OFF_FORM = 'offboarding.signoff';

async function signOff(ctx: ChatContext, id: number) {
  const { view, signature } = await inTransaction(ctx.deps.db, (tx) => signOffOffboarding(tx, ctx.deps, ctx.actor, id));
  return reply(ephemeral(`${inert(view.vendor.name)} is offboarded. ${manifestation(signature)}.`));
}

const offboardingIdFrom = (value: string): number => {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('bad_arguments', 'That button is out of date.');
  return id;
};

function itemFrom(value: string): { id: number; item: OffboardingItem } {
  const [idText, itemText] = value.split(':');
  const id = Number(idText);
  if (!Number.isInteger(id) || id <= 0 || !itemText)
    throw new UserError('bad_arguments', 'That button is out of date.');
  return { id, item: parseItem(itemText) };
}

async function tick(ctx: ChatContext, id: number, item: OffboardingItem, input = {}) {
  const { view, changed } = await inTransaction(ctx.deps.db, (tx) =>
    completeItem(tx, ctx.deps, ctx.actor, id, item, input),
  );
  const left = view.items.filter((i) => !i.done_at).length;
  const label = ITEM_LABELS[item];
  return reply(
    ephemeral(
      `${changed ? 'Done' : 'Already done'}: ${label}. ${left === 0 ? 'Every item is done: it can be signed off.' : `${left} left.`}`,
    ),
  );
}

export const offboardModule: CommandModule = {
  command: {
    name: 'offboard',
    summary: 'Start offboarding a vendor: the checklist it must clear before it leaves the cadence',
    permission: 'vendor.write',
    usage: 'offboard <vendor> [reason:"…"]',
    examples: ['offboard "Acme Health" reason:"contract ends 2026-09-30"'],
    parse(words: string[]) {
      const { words: rest, options } = readOptions(words, ['reason']);
      return { vendor: nameFrom(rest), reason: options.get('reason') ?? '' };
    },
    async run(ctx, args: { vendor: string; reason: string }) {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      const { view, created } = await inTransaction(ctx.deps.db, (tx) =>
        startOffboarding(tx, ctx.deps, ctx.actor, vendor.id, args.reason),
      );
      const card = await offboardingCard(ctx.deps.db, view);
      const lead = created
        ? `Offboarding **${inert(vendor.name)}** started. The checklist is posted where its findings go.`
        : `**${inert(vendor.name)}** is already being offboarded.`;
      return reply(ephemeral(`${lead}\n${card.text}`, [{ type: 'text', text: lead }, ...(card.blocks ?? [])]));
    },
  },
  actions: [
    {
      action: LIFECYCLE_ACTIONS.item,
      async run(ctx, value) {
        const { id, item } = itemFrom(value);
        if (item !== 'data_returned_or_destroyed') return tick(ctx, id, item);
        const view = await loadOffboarding(ctx.deps.db, id);
        return openForm({
          id: CERTIFICATE_FORM,
          title: 'Return or destruction',
          submitLabel: 'Record certificate',
          state: String(id),
          intro: `The certificate that ${inert(view.vendor.name)} returned or destroyed our data is kept as evidence.`,
          fields: [
            { id: 'url', label: 'Link to the certificate', kind: 'text', placeholder: 'https://…' },
            { id: 'date', label: 'Issued on', kind: 'date' },
            { id: 'note', label: 'Note', kind: 'textarea', optional: true },
          ],
        });
      },
    },
    {
      action: LIFECYCLE_ACTIONS.signOff,
      async run(ctx, value) {
        const id = offboardingIdFrom(value);
        if (!pinRequired(ctx.deps)) return signOff(ctx, id);
        const view = await assertMaySignOff(ctx.deps.db, ctx.actor, id);
        return openForm({
          id: SIGN_OFF_FORM,
          title: 'Sign off offboarding',
          submitLabel: 'Sign off',
          state: String(id),
          intro:
            `Every checklist item for ${inert(view.vendor.name)} is done; signing off takes it out of the review cadence.\n` +
            "You are signing electronically with your chat identity and your signing PIN. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
          fields: signingPinFields(ctx),
        });
      },
    },
  ],
  forms: [
    {
      form: SIGN_OFF_FORM,
      async submit(ctx, values, state) {
        await assertMaySignOff(ctx.deps.db, ctx.actor, offboardingIdFrom(state));
        const refused = await signingPinRefusal(ctx, values);
        if (refused) return refused;
        return signOff(ctx, offboardingIdFrom(state));
      },
    },
    {
      form: CERTIFICATE_FORM,
      async submit(ctx, values, state) {
        try {
          return await tick(ctx, Number(state), 'data_returned_or_destroyed', {
            certificateUrl: textValue(values, 'url'),
            certificateDate: textValue(values, 'date'),
            note: textValue(values, 'note'),
          });
        } catch (error) {
          if (isUserError(error) && error.code === 'invalid_input') {
            return { fieldErrors: { [/date/i.test(error.message) ? 'date' : 'url']: error.message } };
          }
          throw error;
        }
      },
    },
  ],
};
