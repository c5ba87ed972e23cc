import type { Tx } from '../../store/database.ts';
import type { FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import { SYSTEM_ACTOR } from '../common/actor.ts';
import { todayOf } from '../common/dates.ts';
import type { CoreDeps } from '../common/deps.ts';
import { conflict } from '../common/errors.ts';
import { EVIDENCE_LABELS } from '../common/vocabulary.ts';
import { openFinding } from '../findings/actions.ts';
import { closeDerivedFinding } from '../findings/derived.ts';
import { announceFinding } from '../findings/notify.ts';
import { ACTIVE_STATES } from '../findings/states.ts';
import { loadFinding } from '../findings/transition.ts';
import type { RequiredEvidenceRule } from '../policy/policy.ts';
import { describeRule, requiredEvidenceOf, requiredEvidenceRules, ruleKey } from './required.ts';
import { type AskedRule, askedRulesOf, REQUIRED_EVIDENCE_SOURCE, requiredSetKey, seqOf } from './required-key.ts';

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

const namesOf = (rule: RequiredEvidenceRule) => rule.anyOf.map((t) => EVIDENCE_LABELS[t] ?? t).join(' or ');

/** A rule's name from its key, for a rule the policy no longer applies to this vendor. */
function nameOfKey(deps: CoreDeps, key: string): string {
  const rule = deps.policy.requiredEvidence.find((r) => ruleKey(r) === key);
  if (rule) return namesOf(rule);
  return key
    .split('+')
    .map((t) => EVIDENCE_LABELS[t as keyof typeof EVIDENCE_LABELS] ?? t)
    .join(' or ');
}

const askedOf = (row: FindingRow) =>
  askedRulesOf({ dedupeKey: row.dedupe_key, openedOn: row.opened_at.slice(0, 10) }) ?? [];

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
  const missing = await rulesNeedingFinding(tx, deps, vendorId);
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

/** What changed, for the card's thread and the audit: "Now also missing: ...; no longer missing: ...". */
function change(deps: CoreDeps, kept: FindingRow, rows: readonly FindingRow[], asked: readonly AskedRule[]): string {
  const before = new Set(askedOf(kept).map((a) => a.rule));
  const elsewhere = new Set(rows.filter((r) => r.id !== kept.id).flatMap((r) => askedOf(r).map((a) => a.rule)));
  const now = new Set(asked.map((a) => a.rule));
  const names = (keys: string[]) => keys.map((k) => nameOfKey(deps, k)).join(', ');
  const added = asked.filter((a) => !before.has(a.rule) && !elsewhere.has(a.rule)).map((a) => a.rule);
  const merged = asked.filter((a) => !before.has(a.rule) && elsewhere.has(a.rule)).map((a) => a.rule);
  const gone = [...before].filter((k) => !now.has(k));
  const parts = [
    added.length > 0 ? `Now also missing: ${names(added)}` : '',
    merged.length > 0 ? `Takes over ${names(merged)} from the findings merged into it` : '',
    gone.length > 0 ? `No longer missing: ${names(gone)}` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join('; ') : 'Required evidence still missing: wording updated';
}

/** Rewrites the finding's wording and key in place, audited, and edits its card with a line saying why. */
async function rewrite(
  tx: Tx,
  deps: CoreDeps,
  finding: FindingRow,
  set: Pick<FindingRow, 'dedupe_key' | 'title' | 'detail'>,
  reason: string,
): Promise<FindingRow> {
  const result = await tx
    .updateTable('findings')
    .set({ ...set, version: finding.version + 1, updated_at: deps.clock.now().toISOString() })
    .where('id', '=', finding.id)
    .where('version', '=', finding.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict(`Finding #${finding.id} changed while it was being updated. It is updated on the next sweep.`);
  }
  const after = await loadFinding(tx, finding.id);
  await appendAudit(tx, deps.clock, {
    actor: SYSTEM_ACTOR,
    action: 'finding.update',
    entityType: 'finding',
    entityId: finding.id,
    before: { dedupe_key: finding.dedupe_key, title: finding.title, detail: finding.detail, version: finding.version },
    after: { ...set, version: after.version },
    reason,
  });
  await announceFinding(tx, deps, after, reason);
  return after;
}
