import {
  type ChatContext,
  type CommandModule,
  type FormValues,
  type Outcome,
  openForm,
  reply,
} from '../src/chat/command.ts';
import { ephemeral, type Form, type FormField, mention } from '../src/chat/reply.ts';
import { textValue } from '../src/chat/views/finding-forms.ts';
import {
  checkSigningPin,
  pinRequired,
  resetSigningPin,
  setSigningPin,
  signingPinState,
} from '../src/core/signing/pin.ts';
import { inTransaction } from '../src/store/database.ts';
import { badArguments, personToken } from './support/args.ts';
import { namesOf } from './support/people.ts';

// `/vendor pin` opens a private form to set (or change) your signing PIN, the second component of
// every electronic signature (21 CFR 11.200(a)(1)); `/vendor pin reset @dana` lets an admin clear
// someone's PIN and lock without ever seeing it. The PIN itself only travels in form values.

type PinArgs = { kind: 'set' } | { kind: 'reset'; person: { id: string; name: string } };

/** Slack cannot mask a plain_text_input; Teams masks the Password input. Either way, say who sees it. */
export function pinHint(ctx: ChatContext): string {
  return ctx.platform === 'slack'
    ? 'Only you see this form, but Slack shows the digits as you type: make sure nobody is looking.'
    : 'Only you see this form; the digits are hidden as you type.';
}

/** The PIN input of the Approve and Reject confirmations. */
export function signingPinField(ctx: ChatContext): FormField {
  return { id: 'pin', label: 'Your signing PIN', kind: 'secret', hint: pinHint(ctx), placeholder: '6 or more digits' };
}

/** The PIN input of every signing confirmation, when the deployment asks for one (SIGNATURE_MODE=pin). */
export function signingPinFields(ctx: ChatContext): FormField[] {
  return pinRequired(ctx.deps) ? [signingPinField(ctx)] : [];
}

/**
 * Checks the PIN typed into a signing confirmation before the decision's transaction starts; a wrong
 * one is counted in a transaction of its own and refused (a UserError), so nothing else is written.
 * Returns the form's answer when no PIN was typed, null when signing may go on.
 */
export async function signingPinRefusal(ctx: ChatContext, values: FormValues): Promise<Outcome | null> {
  if (!pinRequired(ctx.deps)) return null;
  const pin = textValue(values, 'pin')?.trim();
  if (!pin) return { fieldErrors: { pin: 'Enter your signing PIN to sign.' } };
  await checkSigningPin(ctx.deps.db, ctx.deps, ctx.actor, pin);
  return null;
}

function pinForm(ctx: ChatContext, hasPin: boolean): Form {
  const fields: FormField[] = [
    ...(hasPin ? [{ id: 'current', label: 'Current PIN', kind: 'secret' as const, hint: pinHint(ctx) }] : []),
    { id: 'pin', label: 'New PIN (6 or more digits)', kind: 'secret', hint: pinHint(ctx) },
    { id: 'again', label: 'New PIN again', kind: 'secret' },
  ];
  return {
    id: 'signing.pin',
    title: hasPin ? 'Change signing PIN' : 'Set signing PIN',
    submitLabel: 'Save PIN',
    state: '',
    intro:
      'Your signing PIN is the second part of your electronic signature: you enter it whenever you approve or reject. ' +
      'Nobody else, admins included, can see it. Five wrong PINs lock signing until an admin resets it.',
    fields,
  };
}

export const pinModule: CommandModule = {
  command: {
    name: 'pin',
    summary: 'Set or change your signing PIN (admins: reset someone’s)',
    permission: ['approval.decide', 'roles.manage'],
    usage: 'pin | pin reset @user',
    examples: ['pin', 'pin reset @dana'],
    parse(words): PinArgs {
      if (words.length === 0) return { kind: 'set' };
      if (words[0] !== 'reset' || words.length !== 2) {
        throw badArguments('Run `pin` on its own: the PIN is typed into a private form, never into a command.');
      }
      const person = personToken(words[1] ?? '');
      if (!person) throw badArguments(`Name the person as @name, not “${words[1]}”.`);
      return { kind: 'reset', person };
    },
    async run(ctx, args: PinArgs) {
      if (args.kind === 'set') {
        if ((await signingPinState(ctx.deps.db, ctx.actor.id)) === 'locked') {
          return reply(
            ephemeral('Signing is locked for you after 5 wrong PINs. An admin must reset your PIN (`pin reset @you`).'),
          );
        }
        return openForm(pinForm(ctx, (await signingPinState(ctx.deps.db, ctx.actor.id)) === 'set'));
      }
      const person = args.person;
      await inTransaction(ctx.deps.db, (tx) => resetSigningPin(tx, ctx.deps, ctx.actor, person.id));
      const known = (await namesOf(ctx.deps.db, [person.id])).get(person.id);
      const who = mention(person.id, known && known !== person.id ? known : person.name);
      return reply(ephemeral(`Reset the signing PIN of ${who}. They were told to choose a new one with \`pin\`.`));
    },
  },
  forms: [
    {
      form: 'signing.pin',
      async submit(ctx, values) {
        const pin = textValue(values, 'pin')?.trim() ?? '';
        const again = textValue(values, 'again')?.trim() ?? '';
        if (!/^\d{6,}$/.test(pin)) return { fieldErrors: { pin: 'Use 6 or more digits, nothing else.' } };
        if (pin !== again) return { fieldErrors: { again: 'The two PINs differ. Type the same PIN twice.' } };
        const current = textValue(values, 'current')?.trim() || null;
        await setSigningPin(ctx.deps.db, ctx.deps, ctx.actor, { pin, currentPin: current });
        return reply(ephemeral('Your signing PIN is saved. Enter it whenever you approve or reject.'));
      },
    },
  ],
};
