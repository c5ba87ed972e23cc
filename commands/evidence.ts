import { type CommandModule, reply } from '../src/chat/command.ts';
import { ephemeral } from '../src/chat/reply.ts';
import { relativeDay } from '../src/chat/views/vendor-lines.ts';
import { isIsoDate, todayOf } from '../src/core/common/dates.ts';
import { EVIDENCE_LABELS, type EvidenceType } from '../src/core/common/vocabulary.ts';
import { recordEvidence } from '../src/core/evidence/record.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { loadVendor } from '../src/core/vendors/patch.ts';
import { inTransaction } from '../src/store/database.ts';
import { badArguments, nameFrom, readOptions } from './support/args.ts';
import { EVIDENCE_WORDS, evidenceWord } from './support/vocab.ts';

// `/vendor evidence Acme soc2 expires:2027-03-31 https://…`: a document the vendor showed us. The
// vendor owner, analysts and admins may record it (core); the same document twice is a no-op.

interface EvidenceArgs {
  vendor: string;
  type: EvidenceType;
  expiresOn: string;
  issuedOn: string | null;
  url: string | null;
}

function dateOption(value: string | undefined, label: string): string | undefined {
  if (value !== undefined && !isIsoDate(value.trim())) {
    throw badArguments(`\`${label}:\` must be a date like 2027-03-31, not “${value}”.`);
  }
  return value?.trim();
}

function parseEvidence(input: string[]): EvidenceArgs {
  const { words, options } = readOptions(input, ['expires', 'issued']);
  const urls = words.filter((w) => /^https?:\/\//i.test(w));
  if (urls.length > 1) throw badArguments('Give at most one link.');
  const rest = words.filter((w) => !urls.includes(w));
  const typeWord = rest.at(-1) ?? '';
  const type = evidenceWord(typeWord);
  if (rest.length < 2 || !type) {
    throw badArguments(
      rest.length < 2
        ? 'Name the vendor, then the kind of evidence.'
        : `“${typeWord}” is not a kind of evidence I know; use one of ${EVIDENCE_WORDS}.`,
    );
  }
  const expiresOn = dateOption(options.get('expires'), 'expires');
  if (!expiresOn) throw badArguments('When does it expire? Add `expires:YYYY-MM-DD`.');
  return {
    vendor: nameFrom(rest.slice(0, -1)),
    type,
    expiresOn,
    issuedOn: dateOption(options.get('issued'), 'issued') ?? null,
    url: urls[0] ?? null,
  };
}

export const evidenceModule: CommandModule = {
  command: {
    name: 'evidence',
    summary: `Record a vendor's evidence and its expiry (${EVIDENCE_WORDS})`,
    permission: 'evidence.write',
    usage: 'evidence <vendor> <type> expires:<YYYY-MM-DD> [issued:<YYYY-MM-DD>] [<url>]',
    examples: [
      'evidence "Acme Health" soc2 expires:2027-03-31 https://trust.acme.example/soc2.pdf',
      'evidence Globex baa expires:2028-01-01',
    ],
    parse: parseEvidence,
    run: async (ctx, args: EvidenceArgs) => {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      const { outcome } = await inTransaction(ctx.deps.db, async (tx) => {
        const { owner_id } = await loadVendor(tx, vendor.id);
        await requirePermission(tx, ctx.actor, 'evidence.write', owner_id);
        return recordEvidence(tx, ctx.deps, ctx.actor, {
          vendorId: vendor.id,
          type: args.type,
          expiresOn: args.expiresOn,
          issuedOn: args.issuedOn,
          url: args.url,
        });
      });
      const label = EVIDENCE_LABELS[args.type];
      const today = todayOf(ctx.deps);
      const when = `${args.expiresOn <= today ? 'expired' : 'expires'} ${args.expiresOn} (${relativeDay(args.expiresOn, today, 'ago')})`;
      const text = {
        created: `Recorded **${label}** for **${vendor.name}**: ${when}.`,
        updated: `Updated **${label}** for **${vendor.name}**: ${when}.`,
        unchanged: `**${label}** for **${vendor.name}** (${when}) was already recorded; nothing changed.`,
      }[outcome];
      return reply(ephemeral(text));
    },
  },
};
