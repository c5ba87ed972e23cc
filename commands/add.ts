import { type ChatContext, type CommandModule, type FormValues, openForm, reply } from '../src/chat/command.ts';
import { channelRef, parseChannelRef } from '../src/chat/refs.ts';
import { ephemeral, mention, type Reply } from '../src/chat/reply.ts';
import { invalidInput, isUserError } from '../src/core/common/errors.ts';
import type { DataType, Tier } from '../src/core/common/vocabulary.ts';
import { displayName } from '../src/core/roles/people.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { createVendor, type NewVendorInput } from '../src/core/vendors/create-update.ts';
import {
  cleanVendorName,
  parseCriticality,
  parseDataTypes,
  parseRegulatoryScope,
  readList,
} from '../src/core/vendors/input.ts';
import { deriveTier } from '../src/core/vendors/tier.ts';
import { inTransaction } from '../src/store/database.ts';
import { badArguments, listOption, personToken, readOptions } from './support/args.ts';
import { ADD_VENDOR_FORM, addVendorForm, readVendorForm } from './support/vendor-form.ts';
import { tierWord } from './support/vocab.ts';

// `/vendor add Acme Health data:PHI owner:@dana`, or bare `/vendor add` for a form. The tier is
// derived from data types and criticality; naming a different tier is an override, which needs
// `reason:"..."` (it goes into the audit trail) or nothing is added. Analysts and admins (core).

// An analyst's vendor starts where a requested one does, so the analyst reviews it like any other: it
// goes through due diligence (`/vendor review`) and a signed activation before it may receive data.
const ADDED_STATUS = 'requested';

const KEYS = ['tier', 'data', 'criticality', 'owner', 'channel', 'regs', 'services', 'reason'] as const;

interface AddArgs {
  form: boolean;
  input?: NewVendorInput & { dataTypes: DataType[] };
  tier?: Tier;
  reason?: string;
}

/** The core's own parsers, with their refusals shown as usage errors (nothing was tried yet). */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isUserError(error)) throw badArguments(error.message);
    throw error;
  }
}

function parseAdd(input: string[]): AddArgs {
  if (input.length === 0) return { form: true };
  const { words, options } = readOptions(input, KEYS);
  const name = asUsage(() => cleanVendorName(words.join(' ')));
  const owner = options.get('owner');
  const person = owner === undefined ? null : personToken(owner);
  if (owner !== undefined && !person) throw badArguments(`\`owner:\` must be a person, written @name, not “${owner}”.`);
  const channel = options.get('channel');
  const target = channel === undefined ? null : parseChannelRef(channel);
  if (channel !== undefined && !target) throw badArguments(`\`channel:\` must be a channel, written #name.`);
  const tier = options.get('tier');
  return {
    form: false,
    input: {
      name,
      services: options.get('services') ?? '',
      dataTypes: asUsage(() => parseDataTypes(listOption(options.get('data')) ?? [])),
      criticality: asUsage(() => parseCriticality(options.get('criticality') ?? 'medium')),
      regulatoryScope: asUsage(() => parseRegulatoryScope(listOption(options.get('regs')) ?? [])),
      ownerId: person?.id ?? null,
      channel: target,
    },
    tier: tier === undefined ? undefined : tierWord(tier),
    reason: options.get('reason'),
  };
}

async function addedReply(ctx: ChatContext, vendor: Awaited<ReturnType<typeof createVendor>>): Promise<Reply> {
  const data = readList(vendor.data_types);
  const why = vendor.tier_override_reason
    ? `override: ${vendor.tier_override_reason}`
    : `derived from ${data.length > 0 ? data.join(', ') : 'no sensitive data'} and ${vendor.criticality} criticality`;
  const lines = [
    `Added **${vendor.name}**: tier **${vendor.tier}** (${why}).`,
    `Not approved for use yet: start due diligence with \`review "${vendor.name}"\`.`,
    vendor.owner_id
      ? `Owner: ${mention(vendor.owner_id, (await displayName(ctx.deps.db, vendor.owner_id)) ?? vendor.owner_id)}.`
      : 'No owner yet: set one with `/vendor owner`.',
  ];
  if (vendor.channel) lines.push(`Findings go to ${channelRef(vendor.channel, vendor.channel)}.`);
  return ephemeral(lines.join('\n'));
}

async function addFromWords(ctx: ChatContext, args: Required<Pick<AddArgs, 'input'>> & AddArgs) {
  const { input } = args;
  const derived = deriveTier(input.dataTypes, parseCriticality(input.criticality));
  let tierOverride: NewVendorInput['tierOverride'] = null;
  if (args.tier && args.tier !== derived) {
    if (!args.reason?.trim()) {
      throw invalidInput(
        `From its data and criticality ${input.name} is a **${derived}**-tier vendor. To make it **${args.tier}** instead, ` +
          `add a reason for the audit trail, like \`reason:"sole processor of our claims data"\`. Nothing was added.`,
      );
    }
    tierOverride = { tier: args.tier, reason: args.reason };
  }
  return reply(
    await addedReply(
      ctx,
      await inTransaction(ctx.deps.db, async (tx) => {
        await requirePermission(tx, ctx.actor, 'vendor.write');
        return createVendor(tx, ctx.deps, ctx.actor, { ...input, tierOverride, status: ADDED_STATUS });
      }),
    ),
  );
}

async function submitForm(ctx: ChatContext, values: FormValues) {
  const read = readVendorForm(values);
  if (read.errors) return { fieldErrors: read.errors };
  try {
    return reply(
      await addedReply(
        ctx,
        await inTransaction(ctx.deps.db, async (tx) => {
          await requirePermission(tx, ctx.actor, 'vendor.write');
          return createVendor(tx, ctx.deps, ctx.actor, { ...read.input, status: ADDED_STATUS });
        }),
      ),
    );
  } catch (error) {
    // A name taken since the form opened: say so on the name, and let the person change it.
    if (isUserError(error) && error.code === 'conflict') return { fieldErrors: { name: error.message } };
    throw error;
  }
}

export const addModule: CommandModule = {
  command: {
    name: 'add',
    summary: 'Add a vendor (bare `add` opens a form); a tier unlike the derived one needs a reason',
    permission: 'vendor.write',
    usage:
      'add [<vendor> [data:PHI,PII] [criticality:high|medium|low] [tier:<tier> reason:"…"] [owner:@user] [channel:#channel] [regs:HIPAA,GDPR]]',
    examples: ['add "Acme Health" data:PHI criticality:high owner:@dana regs:HIPAA', 'add'],
    parse: parseAdd,
    run: async (ctx, args: AddArgs) => {
      if (args.form || !args.input) {
        // Refuse before the form: filling it in only to be told "no" is worse.
        await requirePermission(ctx.deps.db, ctx.actor, 'vendor.write');
        return openForm(addVendorForm(ctx.channel));
      }
      return addFromWords(ctx, { ...args, input: args.input });
    },
  },
  forms: [{ form: ADD_VENDOR_FORM, submit: (ctx, values) => submitForm(ctx, values) }],
};
