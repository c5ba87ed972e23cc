import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { openFinding } from '../findings/actions.ts';
import { closeDerivedFinding } from '../findings/derived.ts';
import { ACTIVE_STATES } from '../findings/states.ts';
import type { RequiredEvidenceRule } from '../policy/policy.ts';
import { describeRule, requiredEvidenceOf, requiredEvidenceRules, ruleKey } from './required.ts';
import { askedOf, change, namesOf, rewrite } from './required-finding-rewrite.ts';
import { type AskedRule, REQUIRED_EVIDENCE_SOURCE, requiredSetKey, seqOf } from './required-key.ts';

// One finding per vendor lists every required document it does not hold ("required evidence missing:
// HIPAA BAA, GDPR DPA"). As documents are recorded or rules start to apply, the same finding is rewritten
// (audited, the card edited, a line in its thread); it closes itself when nothing is missing. A document
// that is there but expired is left to its expiry finding, so the same gap is never reported twice.

export { REQUIRED_EVIDENCE_SOURCE };

/** The missing rules of a vendor that the finding asks for (no document of the kind expired). */
export async function rulesNeedingFinding(tx: Tx, deps: CoreDeps, vendorId: number): Promise<RequiredEvidenceRule[]> {
  const vendor = await tx.selectFrom('vendors').selectAll().where('id', '=', vendorId).executeTakeFirst();
  if (!vendor || (vendor.status !== 'onboarding' && vendor.status !== 'active')) return [];
  const rows = await tx.selectFrom('evidence').selectAll().where('vendor_id', '=', vendorId).execute();
  const today = todayOf(deps);
  return requiredEvidenceOf(requiredEvidenceRules(deps.policy, vendor), rows, today)
    .filter((r) => r.satisfiedBy === null)
    .map((r) => r.rule)
    .filter((rule) => {
      const expiredKinds = rule.anyOf.filter((t) => {
        const ofType = rows.filter((row) => row.type === t);
        return ofType.length > 0 && ofType.every((row) => row.expires_on <= today);
      });
      return expiredKinds.length === 0;
    });
}

export interface RequiredSync {
  /** The vendor's finding as it stands now; null when nothing is missing (or nothing was opened). */
  finding: FindingRow | null;
  opened: boolean;
  updated: boolean;
  /** Findings closed: all of them when nothing is missing, else those merged into the one kept. */
  closed: FindingRow[];
}

export interface SyncOptions {
  /** Open the finding when none is open (the sweep); recording a document only updates or closes. */
  open: boolean;
  /** Why the finding closes when nothing is missing any more. */
  closeReason: string;
}

/**
 * Brings the vendor's required-evidence finding in line with what is missing today: opens it, rewrites it
 * when the set changes, folds older per-document findings into it ("merged into #N"), or closes it with
 * the reason, withdrawing a request still waiting on an approver.
 */
export async function syncRequiredEvidenceFinding(
  tx: Tx,
  deps: CoreDeps,
  vendorId: number,
  options: SyncOptions,
): Promise<RequiredSync> {
  const waived = await waivedRules(tx, vendorId);
  const missing = (await rulesNeedingFinding(tx, deps, vendorId)).filter((r) => !waived.has(ruleKey(r)));
  const rows = await tx
    .selectFrom('findings')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('source', '=', REQUIRED_EVIDENCE_SOURCE)
    .where('state', '!=', 'resolved')
    .orderBy('id')
    .execute();
  const closed: FindingRow[] = [];
  if (missing.length === 0) {
    for (const row of rows) {
      const after = await closeDerivedFinding(tx, deps, row, options.closeReason);
      if (after) closed.push(after);
    }
    return { finding: null, opened: false, updated: false, closed };
  }
  const today = todayOf(deps);
  // Each document keeps the day it was first asked for, whichever finding asked.
  const firstAsked = new Map<string, string>();
  for (const a of rows.flatMap(askedOf)) {
    const known = firstAsked.get(a.rule);
    if (known === undefined || a.since < known) firstAsked.set(a.rule, a.since);
  }
  const asked: AskedRule[] = missing.map((rule) => ({
    rule: ruleKey(rule),
    since: firstAsked.get(ruleKey(rule)) ?? today,
  }));
  const vendor = await tx.selectFrom('vendors').select(['name']).where('id', '=', vendorId).executeTakeFirstOrThrow();
  const title = `${vendor.name}: required evidence missing: ${missing.map(namesOf).join(', ')}`;
  const detail =
    `Policy requires ${missing.map(describeRule).join('; ')}, and none that counts is on record for ${vendor.name}. ` +
    'Ask the vendor for each and record it with the `evidence` command; this finding lists what is still ' +
    'missing and closes itself when all of it is recorded.';
  const seq = await nextSeq(tx, vendorId);
  // Kept: an active finding before one waiting on a risk acceptance, the per-vendor form, then the oldest.
  const kept = [...rows].sort(
    (a, b) =>
      Number(!ACTIVE_STATES.includes(a.state)) - Number(!ACTIVE_STATES.includes(b.state)) ||
      Number(seqOf(a.dedupe_key) === null) - Number(seqOf(b.dedupe_key) === null) ||
      a.id - b.id,
  )[0];
  if (!kept) {
    if (!options.open) return { finding: null, opened: false, updated: false, closed };
    const { finding, created } = await openFinding(tx, deps, SYSTEM_ACTOR, {
      vendorId,
      dedupeKey: requiredSetKey(vendorId, seq, asked),
      source: REQUIRED_EVIDENCE_SOURCE,
      title,
      detail,
      severity: 'high',
    });
    return { finding, opened: created, updated: false, closed };
  }
  const key = requiredSetKey(vendorId, seqOf(kept.dedupe_key) ?? seq, asked);
  let finding = kept;
  if (key !== kept.dedupe_key || title !== kept.title || detail !== kept.detail) {
    finding = await rewrite(tx, deps, kept, { dedupe_key: key, title, detail }, change(deps, kept, rows, asked));
  }
  for (const row of rows) {
    if (row.id === kept.id) continue;
    const after = await closeDerivedFinding(tx, deps, row, `Merged into #${kept.id}`);
    if (after) closed.push(after);
  }
  return { finding, opened: false, updated: finding !== kept, closed };
}

/**
 * Documents a person closed the finding for while they were still missing (the requirement waived, say):
 * not asked for again, as before, when each document had a finding of its own that stayed closed.
 */
async function waivedRules(tx: Tx, vendorId: number): Promise<Set<string>> {
  const closed = await tx
    .selectFrom('findings')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .where('source', '=', REQUIRED_EVIDENCE_SOURCE)
    .where('state', '=', 'resolved')
    .where('resolved_by', '!=', SYSTEM_ACTOR.id)
    .execute();
  return new Set(closed.flatMap(askedOf).map((a) => a.rule));
}

/** One past the highest sequence number the vendor's findings used; unique among the vendor's keys. */
async function nextSeq(tx: Tx, vendorId: number): Promise<number> {
  const keys = await tx
    .selectFrom('findings')
    .select('dedupe_key')
    .where('vendor_id', '=', vendorId)
    .where('source', '=', REQUIRED_EVIDENCE_SOURCE)
    .execute();
  return 1 + keys.reduce((max, k) => Math.max(max, seqOf(k.dedupe_key) ?? 0), 0);
}
