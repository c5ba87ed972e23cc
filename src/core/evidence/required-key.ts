// The dedupe key of a vendor's one "required evidence missing" finding names the documents it asks for
// and the day each was added to it: the score reads from it which required-evidence causes the finding
// stands for and since when they were known, without another query. The sequence number keeps the key
// unique when a vendor's gap closes and a new one opens later.
//
//   required-evidence:<vendor>:<seq>:<rule>@<since>,<rule>@<since>   one finding per vendor
//   required-evidence:<vendor>:<rule>                                 one per document (before), folded by the sweep

export const REQUIRED_EVIDENCE_SOURCE = 'required_evidence';

export interface AskedRule {
  /** The rule's stable name (ruleKey). */
  rule: string;
  /** The day the finding began asking for it. */
  since: string;
}

export function requiredSetKey(vendorId: number, seq: number, asked: readonly AskedRule[]): string {
  return `required-evidence:${vendorId}:${seq}:${asked.map((a) => `${a.rule}@${a.since}`).join(',')}`;
}

/** The rules a required-evidence finding asks for, or null for any other finding. Pure. */
export function askedRulesOf(f: { dedupeKey: string; openedOn: string }): AskedRule[] | null {
  const parts = f.dedupeKey.split(':');
  if (parts[0] !== 'required-evidence') return null;
  if (parts.length === 3) return [{ rule: parts[2]!, since: f.openedOn }];
  if (parts.length !== 4) return null;
  return parts[3]!
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [rule, since] = entry.split('@');
      return { rule: rule!, since: since || f.openedOn };
    });
}

/** The sequence number of a per-vendor key; null for a per-document key of before. */
export function seqOf(dedupeKey: string): number | null {
  const parts = dedupeKey.split(':');
  return parts[0] === 'required-evidence' && parts.length === 4 ? Number(parts[2]) : null;
}

/**
 * Pure: whether a vendor's active required-evidence findings need bringing in line with the rules it
 * misses (by ruleKey): several of them, one in the per-document form, or one asking for a document no
 * longer missing. A missing document no finding asks for shows as a driver with no `since` instead.
 */
export function requiredFindingsOutOfStep(
  findings: readonly { dedupeKey: string; openedOn: string }[],
  missing: ReadonlySet<string>,
): boolean {
  const asking = findings.filter((f) => askedRulesOf(f) !== null);
  if (asking.length > 1) return true;
  const [only] = asking;
  if (!only) return false;
  return seqOf(only.dedupeKey) === null || askedRulesOf(only)!.some((a) => !missing.has(a.rule));
}
