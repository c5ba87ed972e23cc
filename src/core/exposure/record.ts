import type { Tx } from '../../store/database.ts';
import type { AssetRow, ExposureCheckRow, FindingRow } from '../../store/tables.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { CoreDeps } from '../common/deps.ts';
import { invalidState } from '../common/errors.ts';
import type { Severity } from '../common/vocabulary.ts';
import { vendorRouting } from '../findings/notify.ts';
import { findingCardTargets } from '../findings/routing.ts';
import { formatUtc } from '../findings/text.ts';
import { enqueue } from '../messaging/outbox.ts';
import { recordSignal } from '../signals/record.ts';
import { type Issue, judge, type Outcome, type Verdict } from './judge.ts';
import type { Observation } from './observation.ts';
import { isCheckable } from './schedule.ts';

// A check's result, kept and acted on in one transaction. Each problem is a signal from the source
// `exposure-check`, through the same path as the monitoring webhook, so a new exposure opens a finding
// and posts its card. A problem seen again is the same signal (its key is the first check that saw it),
// so nothing repeats. When a later check no longer sees a problem, the finding is not closed by a
// machine: its card thread says so and asks the analyst to verify the fix with the vendor.

export const EXPOSURE_SOURCE = 'exposure-check';
export const EXPOSURE_ACTOR: Actor = { id: 'system:exposure-check', name: 'Exposure check' };

export interface RecordedProblem {
  issue: Issue;
  severity: Severity;
  /** The signal's external id: the same for as long as the problem keeps being seen. */
  key: string;
  signalId: number;
  findingId: number | null;
}

export interface CheckRecord {
  check: ExposureCheckRow;
  verdict: Verdict;
  problems: RecordedProblem[];
  /** Findings this check opened. */
  opened: FindingRow[];
  /** Findings whose problem this check no longer saw; the analyst is asked to verify. */
  cleared: number[];
}

/** Probe text comes from the vendor's systems: no control characters (terminals, logs), bounded length. */
const isControl = (c: string) => {
  const n = c.codePointAt(0) ?? 0;
  return n < 0x20 || (n >= 0x7f && n < 0xa0);
};
const plain = (text: string, max: number) =>
  [...text]
    .map((c) => (isControl(c) ? ' ' : c))
    .join('')
    .slice(0, max);

export function readProblems(check: Pick<ExposureCheckRow, 'problems'>): RecordedProblem[] {
  const parsed: unknown = JSON.parse(check.problems);
  return Array.isArray(parsed) ? (parsed as RecordedProblem[]) : [];
}

/** The latest check that reached a verdict: "could not check" neither opens nor closes anything. */
function lastJudged(tx: Tx, assetId: number): Promise<ExposureCheckRow | undefined> {
  return tx
    .selectFrom('exposure_checks')
    .selectAll()
    .where('asset_id', '=', assetId)
    .where('outcome', '!=', 'could_not_check' satisfies Outcome)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function recordCheck(
  tx: Tx,
  deps: CoreDeps,
  input: { asset: AssetRow; observation: Observation; address: string | null },
): Promise<CheckRecord> {
  const { asset, observation } = input;
  // The runner only probes checkable assets; an asset removed or unauthorised meanwhile keeps no result.
  if (!isCheckable(asset)) throw invalidState(`${asset.value} is not authorised for checks.`);
  const now = deps.clock.now();
  const at = now.toISOString();
  const verdict = judge(
    observation,
    { host: asset.host ?? asset.value, port: asset.port ?? 0 },
    now,
    deps.policy.certificateWarningDays,
  );
  const previous = await lastJudged(tx, asset.id);
  const before = previous ? readProblems(previous) : [];

  const problems: RecordedProblem[] = [];
  const opened: FindingRow[] = [];
  for (const p of verdict.problems) {
    const continuing = before.find((b) => b.issue === p.issue);
    const reopened = continuing ? null : await unresolvedEarlier(tx, asset.id, p.issue);
    const key = continuing?.key ?? reopened?.key ?? `asset:${asset.id}:${p.issue}:${at}`;
    const result = await recordSignal(tx, deps, EXPOSURE_ACTOR, {
      vendorId: asset.vendor_id,
      source: EXPOSURE_SOURCE,
      externalId: key,
      kind: p.signalKind,
      severity: p.severity,
      summary: plain(p.summary, 500),
      details: { ...p.details, target: asset.value, checkedAt: at },
      observedAt: at,
    });
    const findingId = result.duplicate ? result.signal.finding_id : (result.finding?.id ?? null);
    if (!result.duplicate && result.finding && result.findingCreated) opened.push(result.finding);
    problems.push({ issue: p.issue, severity: p.severity, key, signalId: result.signal.id, findingId });
  }

  const check = await tx
    .insertInto('exposure_checks')
    .values({
      asset_id: asset.id,
      vendor_id: asset.vendor_id,
      checked_at: at,
      check_kind: observation.check,
      target: asset.value,
      address: input.address,
      outcome: verdict.outcome,
      asked: plain(observation.asked, 500),
      answered: plain(observation.answered, 1000),
      facts: JSON.stringify(observation.facts),
      problems: JSON.stringify(problems),
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  for (const p of problems) {
    const again =
      !before.some((b) => b.issue === p.issue) && p.findingId !== null && !opened.some((f) => f.id === p.findingId);
    if (again && p.findingId !== null) {
      await threadUnderCard(
        tx,
        deps,
        p.findingId,
        `found-again:${check.id}`,
        (vendor) =>
          `The exposure check of ${check.target} at ${formatUtc(check.checked_at)} finds this again (${check.answered}). ` +
          `${vendor} has not fixed it yet, or it came back.`,
      );
    }
  }

  const cleared: number[] = [];
  if (verdict.outcome !== 'could_not_check') {
    for (const gone of before.filter((b) => !problems.some((p) => p.issue === b.issue))) {
      if (gone.findingId !== null && (await askToVerify(tx, deps, gone.findingId, check))) cleared.push(gone.findingId);
    }
  }
  await appendAudit(tx, deps.clock, {
    actor: EXPOSURE_ACTOR,
    action: 'exposure.check',
    entityType: 'vendor',
    entityId: asset.vendor_id,
    after: {
      checkId: check.id,
      target: asset.value,
      outcome: verdict.outcome,
      issues: problems.map((p) => p.issue),
      cleared,
    },
  });
  return { check, verdict, problems, opened, cleared };
}

/**
 * The same problem seen before and its finding still unresolved (the fix was not verified, or did not
 * hold): the same signal, so no second finding opens beside the first.
 */
async function unresolvedEarlier(tx: Tx, assetId: number, issue: Issue): Promise<RecordedProblem | null> {
  const earlier = await tx
    .selectFrom('exposure_checks')
    .select('problems')
    .where('asset_id', '=', assetId)
    .where('outcome', '=', 'exposed' satisfies Outcome)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  for (const row of earlier) {
    const seen = readProblems(row).find((p) => p.issue === issue);
    if (!seen) continue;
    if (seen.findingId === null) return null;
    const finding = await tx.selectFrom('findings').select('state').where('id', '=', seen.findingId).executeTakeFirst();
    return finding && finding.state !== 'resolved' ? seen : null;
  }
  return null;
}

/** A line threaded under the finding's card (once per `event`), unless the finding is resolved. */
async function threadUnderCard(
  tx: Tx,
  deps: CoreDeps,
  findingId: number,
  event: string,
  text: (vendorName: string) => string,
): Promise<FindingRow | null> {
  const finding = await tx.selectFrom('findings').selectAll().where('id', '=', findingId).executeTakeFirst();
  if (!finding || finding.state === 'resolved') return null;
  const vendor = await vendorRouting(tx, finding.vendor_id);
  for (const target of await findingCardTargets(tx, deps.routing, finding.id, vendor)) {
    await enqueue(tx, deps.clock, {
      key: `finding:${finding.id}:${event}:${target}`,
      target,
      threadOf: `finding:${finding.id}`,
      template: 'finding-history',
      data: { findingId: finding.id, text: text(vendor.name) },
    });
  }
  return finding;
}

/** Threads "the check passed; verify the fix" under the finding's card, unless it is already resolved. */
async function askToVerify(tx: Tx, deps: CoreDeps, findingId: number, check: ExposureCheckRow): Promise<boolean> {
  const finding = await threadUnderCard(
    tx,
    deps,
    findingId,
    `check-passed:${check.id}`,
    (vendor) =>
      `The exposure check of ${check.target} at ${formatUtc(check.checked_at)} no longer finds this ` +
      `(${check.answered}). Verify the fix with ${vendor}, then resolve this finding.`,
  );
  if (!finding) return false;
  await appendAudit(tx, deps.clock, {
    actor: EXPOSURE_ACTOR,
    action: 'finding.check_passed',
    entityType: 'finding',
    entityId: finding.id,
    after: { checkId: check.id, target: check.target, answered: check.answered },
  });
  return true;
}
