import { type CommandModule, reply } from '../src/chat/command.ts';
import { ephemeral } from '../src/chat/reply.ts';
import { sha256 } from '../src/core/common/canonical.ts';
import { todayOf } from '../src/core/common/dates.ts';
import { isOneOf, SEVERITIES, type Severity, type SignalKind } from '../src/core/common/vocabulary.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { RATINGS } from '../src/core/signals/findings.ts';
import { recordSignal } from '../src/core/signals/record.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';
import { badArguments, nameFrom, readOptions } from './support/args.ts';
import { SIGNAL_WORDS, severityWord, signalKindWord } from './support/vocab.ts';

// `/vendor signal Acme exposed high Open S3 bucket at backups.acme.example`: what a person saw
// (a news report, a scanner result) recorded like a monitoring signal, with source `chat`. The
// external id is derived from the day and the words, so posting the same thing twice that day
// changes nothing; medium or worse opens a finding (core).

export const CHAT_SIGNAL_SOURCE = 'chat';

interface SignalArgs {
  vendor: string;
  kind: SignalKind;
  severity: Severity;
  summary: string;
  rating: string | null;
}

function parseSignal(input: string[]): SignalArgs {
  const { words, options } = readOptions(input, ['rating']);
  // The vendor name may have spaces: the kind is the first known kind word followed by a severity.
  const at = words.findIndex(
    (w, i) => i > 0 && signalKindWord(w) !== null && isOneOf(SEVERITIES, (words[i + 1] ?? '').toLowerCase()),
  );
  const kind = at > 0 ? signalKindWord(words[at] ?? '') : null;
  if (!kind) {
    throw badArguments(`Name the vendor, then the kind of signal (${SIGNAL_WORDS}), a severity and what was seen.`);
  }
  const severity = severityWord(words[at + 1] ?? '');
  const summary = words
    .slice(at + 2)
    .join(' ')
    .trim();
  if (!summary) throw badArguments('Say what was seen, after the severity.');
  const rating = options.get('rating')?.trim().toUpperCase() ?? null;
  if (rating !== null && !(RATINGS as readonly string[]).includes(rating)) {
    throw badArguments(`\`rating:\` is a letter grade, one of ${RATINGS.join(', ')}.`);
  }
  if (kind === 'rating_change' && rating === null) {
    throw badArguments('A rating change needs the new grade: `rating:D`.');
  }
  return { vendor: nameFrom(words.slice(0, at)), kind, severity, summary, rating };
}

/** Same vendor, kind, severity and words on the same day: the same signal. */
export function chatSignalId(day: string, vendorId: number, args: Omit<SignalArgs, 'vendor'>): string {
  const words = args.summary.toLowerCase().replace(/\s+/g, ' ').trim();
  return `${day}:${sha256([vendorId, args.kind, args.severity, args.rating ?? '', words].join('\n')).slice(0, 24)}`;
}

export const signalModule: CommandModule = {
  command: {
    name: 'signal',
    summary: `Record a monitoring signal by hand (${SIGNAL_WORDS}); medium or worse opens a finding`,
    permission: 'signal.write',
    usage: 'signal <vendor> <kind> <severity> <what was seen> [rating:<A-F>]',
    examples: [
      'signal "Acme Health" exposed high Unauthenticated Elasticsearch at search.acme.example',
      'signal Globex rating medium Rating dropped rating:D',
    ],
    parse: parseSignal,
    run: async (ctx, args: SignalArgs) => {
      const vendor = await findVendorByName(ctx.deps.db, args.vendor);
      const result = await inTransaction(ctx.deps.db, async (tx) => {
        await requirePermission(tx, ctx.actor, 'signal.write');
        return recordSignal(tx, ctx.deps, ctx.actor, {
          vendorId: vendor.id,
          source: CHAT_SIGNAL_SOURCE,
          externalId: chatSignalId(todayOf(ctx.deps), vendor.id, args),
          kind: args.kind,
          severity: args.severity,
          summary: args.summary,
          details: args.rating ? { rating: args.rating, reportedBy: ctx.actor.name } : { reportedBy: ctx.actor.name },
          observedAt: ctx.deps.clock.now().toISOString(),
        });
      });
      if (result.duplicate) {
        return reply(ephemeral(`That was already recorded today as signal #${result.signal.id}; nothing changed.`));
      }
      const what = `${args.severity} ${args.kind.replace(/_/g, ' ')}`;
      const finding = result.finding
        ? result.findingCreated
          ? ` Opened finding #${result.finding.id}; its card goes where this vendor's findings are posted.`
          : ` It belongs to finding #${result.finding.id}, which was already open.`
        : ' No finding was opened (below medium, or a rating that is still acceptable).';
      return reply(ephemeral(`Recorded signal #${result.signal.id} for **${vendor.name}** (${what}).${finding}`));
    },
  },
};
