import { TZDate } from '@date-fns/tz';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDaysIso } from '../../src/core/common/dates.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { openFinding } from '../../src/core/findings/actions.ts';
import { closeDerivedFinding } from '../../src/core/findings/derived.ts';
import { LATE_REASON } from '../../src/scheduler/firing.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import type { SweepReport } from '../../src/scheduler/sweep.ts';
import { inTransaction, openStore, type Store } from '../../src/store/database.ts';
import { dana, grantRoles, insertVendor, sam } from '../support/fixtures.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// A fake clock walks a small portfolio through 400 days with one sweep a day, as a team would live
// it: reviews come due and get done late, evidence lapses and is renewed, findings run past their
// SLA, a risk acceptance runs out. Every reminder the walk produces is listed here, each once.

const ZONE = 'Europe/Berlin';
const START = '2026-03-02'; // a Monday
const DAYS = 400;

/** 09:30 in Berlin on a calendar day: half an hour after the Monday digest is due. */
const localInstant = (day: string, hour = 9, minute = 30) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, minute, 0, ZONE).getTime());
};

interface Portfolio {
  acme: number;
  beta: number;
  gamma: number;
  /** Findings the walk's people act on, by name. */
  found: Map<string, number>;
}

async function seed(store: TestStore): Promise<Portfolio> {
  store.clock.set(localInstant(START, 9, 0));
  // This walk is about when reminders fire; documents required by policy have tests of their own.
  store.deps.policy = { ...store.deps.policy, requiredEvidence: [] };
  await grantRoles(store);
  const acme = await insertVendor(store, { name: 'Acme Health Cloud', tier: 'critical', nextReviewOn: '2026-04-15' });
  const beta = await insertVendor(store, {
    name: 'Beta Payroll',
    tier: 'medium',
    owner: null,
    channel: 'slack:CBETA',
    nextReviewOn: '2027-12-01',
  });
  const gamma = await insertVendor(store, {
    name: 'Gamma Analytics',
    tier: 'low',
    owner: sam,
    nextReviewOn: '2028-06-01',
  });
  await inTransaction(store.deps.db, (tx) =>
    recordEvidence(tx, store.deps, dana, { vendorId: beta, type: 'soc2_type2', expiresOn: '2026-06-30' }),
  );
  await inTransaction(store.deps.db, (tx) =>
    recordEvidence(tx, store.deps, dana, { vendorId: acme, type: 'iso27001', expiresOn: '2026-08-31' }),
  );
  const open = (vendorId: number, dedupeKey: string, severity: 'high' | 'low') =>
    inTransaction(store.db, (tx) =>
      openFinding(tx, store.deps, dana, {
        vendorId,
        dedupeKey,
        source: 'signal',
        title: `Scanner finding ${dedupeKey}`,
        detail: 'Seen by the external scanner.',
        severity,
      }),
    );
  const payroll = (await open(beta, 'scan:beta', 'high')).finding;
  await store.db
    .updateTable('findings')
    .set({ state: 'assigned', assignee_id: sam.id })
    .where('id', '=', payroll.id)
    .execute();
  const accepted = (await open(gamma, 'scan:gamma', 'low')).finding;
  await store.db
    .updateTable('findings')
    .set({ state: 'risk_accepted', accepted_until: '2026-09-30' })
    .where('id', '=', accepted.id)
    .execute();
  return {
    acme,
    beta,
    gamma,
    found: new Map([
      ['payroll', payroll.id],
      ['accepted', accepted.id],
    ]),
  };
}

/** What people do on some days, before that day's sweep. */
async function actOn(day: string, deps: CoreDeps, p: Portfolio): Promise<void> {
  const findingBy = (dedupeKey: string) =>
    deps.db
      .selectFrom('findings')
      .selectAll()
      .where('dedupe_key', 'like', dedupeKey)
      .where('state', '!=', 'resolved')
      .executeTakeFirst();
  const completeReview = (vendorId: number, on: string, next: string) =>
    deps.db
      .updateTable('vendors')
      .set({ last_review_on: on, next_review_on: next })
      .where('id', '=', vendorId)
      .execute();
  if (day === '2026-05-05') {
    // The overdue review is done at last; the findings it raised are closed with it.
    await completeReview(p.acme, day, '2026-11-05');
    for (const key of [`review-overdue:${p.acme}:%`, `drift:${p.acme}:%`]) {
      const found = await findingBy(key);
      if (found) await inTransaction(deps.db, (tx) => closeDerivedFinding(tx, deps, found, 'Reassessment completed.'));
    }
  }
  if (day === '2026-07-06') {
    await inTransaction(deps.db, (tx) =>
      recordEvidence(tx, deps, dana, { vendorId: p.beta, type: 'soc2_type2', expiresOn: '2027-06-30' }),
    );
    for (const key of ['evidence-expired:%', `drift:${p.beta}:%`]) {
      // Recording the renewal closed the expiry finding itself; what is still open closes as the system would.
      const found = await findingBy(key);
      if (found) {
        await inTransaction(deps.db, (tx) => closeDerivedFinding(tx, deps, found, 'Renewed SOC 2 report received.'));
      }
    }
  }
  if (day === '2026-08-20') {
    await inTransaction(deps.db, (tx) =>
      recordEvidence(tx, deps, dana, { vendorId: p.acme, type: 'iso27001', expiresOn: '2029-08-31' }),
    );
  }
  if (day === '2026-11-03') await completeReview(p.acme, day, '2027-05-03');
}

interface WalkOptions {
  /** Close the store after this day's sweep and go on with a new store handle and scheduler on the same file. */
  restartAfter?: number;
  /** Sweep again later each day; that sweep must find nothing. */
  sweepTwice?: boolean;
  /** Days on which the bot is down: no sweep at all. */
  down?: readonly string[];
  days?: number;
}

/** Walks the days, sweeping once a day at 09:30 in Berlin, and returns every sweep's report. */
async function walk(store: TestStore, p: Portfolio, options: WalkOptions = {}): Promise<SweepReport[]> {
  const fresh = (db: Store['db']) => {
    const deps: CoreDeps = { ...store.deps, db, timeZone: ZONE };
    return { deps, scheduler: createScheduler(deps) };
  };
  let current: { deps: CoreDeps; scheduler: Scheduler } = fresh(store.db);
  let reopened: Store | null = null;
  const reports: SweepReport[] = [];
  for (let i = 0; i < (options.days ?? DAYS); i++) {
    const day = addDaysIso(START, i);
    store.clock.set(localInstant(day, 9, 0));
    await actOn(day, current.deps, p);
    if (options.down?.includes(day)) continue;
    reports.push(await current.scheduler.sweepOnce(localInstant(day)));
    if (options.sweepTwice) {
      const again = await current.scheduler.sweepOnce(localInstant(day, 15, 0));
      expect({ day, fired: again.fired, messages: again.messages }).toEqual({ day, fired: [], messages: [] });
    }
    if (i === options.restartAfter) {
      await current.scheduler.stop();
      reopened = await openStore(store.path);
      current = fresh(reopened.db);
    }
  }
  await current.scheduler.stop();
  await reopened?.close();
  return reports;
}

const firedOf = (reports: SweepReport[]) =>
  reports.flatMap((r) => r.fired.map((f) => [r.today, f.key, f.late ? 'late' : 'on time']));
const queuedOf = (reports: SweepReport[], keep: (template: string) => boolean) =>
  reports.flatMap((r) => r.messages.filter((m) => keep(m.template)).map((m) => [r.today, m.template, m.key]));
const mondays = (from: string, count: number) => Array.from({ length: count }, (_, i) => addDaysIso(from, 7 * i));

describe('a year of daily sweeps over a demo portfolio', () => {
  let store: TestStore;
  let p: Portfolio;
  beforeEach(async () => {
    store = await createTestStore(localInstant(START, 9, 0).toISOString());
    p = await seed(store);
  });
  afterEach(() => store.cleanup());

  it('fires every reminder, expiry, escalation and reopen exactly once, on its day', async () => {
    const reports = await walk(store, p);
    const fired = firedOf(reports).filter(([, key]) => !key?.startsWith('digest:'));
    // Vendors: Acme #1 (owner Olive), Beta #2 (no owner, channel CBETA), Gamma #3 (owner Sam).
    // Findings: #1 Beta's, assigned to Sam; #2 Gamma's, risk accepted until 2026-09-30.
    // Evidence: #1 Beta's SOC 2 (expires 2026-06-30), #2 Acme's ISO 27001 (2026-08-31, renewed 08-20).
    expect(fired).toEqual([
      ['2026-03-16', 'review:1:2026-04-15:before-30', 'on time'],
      ['2026-03-29', 'sla:1:2026-04-01:reminder', 'on time'],
      ['2026-04-02', 'sla:1:2026-04-01:breach', 'on time'],
      ['2026-04-08', 'review:1:2026-04-15:before-7', 'on time'],
      ['2026-04-14', 'review:1:2026-04-15:before-1', 'on time'],
      ['2026-04-15', 'review:1:2026-04-15:due', 'on time'],
      ['2026-04-22', 'review:1:2026-04-15:overdue-7', 'on time'],
      ['2026-04-29', 'review:1:2026-04-15:overdue-14', 'on time'],
      ['2026-04-29', 'review:1:2026-04-15:escalate', 'on time'],
      ['2026-05-31', 'evidence:1:before-30', 'on time'],
      ['2026-06-23', 'evidence:1:before-7', 'on time'],
      ['2026-06-29', 'evidence:1:before-1', 'on time'],
      ['2026-06-30', 'evidence:1:expired', 'on time'],
      ['2026-08-01', 'evidence:2:before-30', 'on time'],
      ['2026-10-01', 'acceptance:2:2026-09-30:expired', 'on time'],
      ['2026-10-06', 'review:1:2026-11-05:before-30', 'on time'],
      ['2026-10-29', 'review:1:2026-11-05:before-7', 'on time'],
      ['2027-03-27', 'sla:2:2027-03-30:reminder', 'on time'],
      ['2027-03-31', 'sla:2:2027-03-30:breach', 'on time'],
      ['2027-04-03', 'review:1:2027-05-03:before-30', 'on time'],
    ]);
    // Reminders ahead of their day are heads-ups, in the owner's (or channel's) "Coming up" digest of
    // the day; the due day and after, the vendor's own reminder.
    expect(queuedOf(reports, (t) => t !== 'digest')).toEqual([
      ['2026-03-16', 'owner-digest', 'review:1:2026-04-15:before-30@slack:UOLIVE'],
      ['2026-03-29', 'owner-digest', 'sla:1:2026-04-01:reminder@slack:USAM'],
      // The SLA breach asks the approvers and edits Beta's finding card, with a history line under it.
      ['2026-04-02', 'approval-card', 'approval:1:v1:card:slack:CAPPROVALS'],
      ['2026-04-02', 'finding-card', 'finding:1:v2:card:slack:CBETA'],
      ['2026-04-02', 'finding-history', 'finding:1:v2:history:slack:CBETA'],
      ['2026-04-08', 'owner-digest', 'review:1:2026-04-15:before-7@slack:UOLIVE'],
      ['2026-04-14', 'owner-digest', 'review:1:2026-04-15:before-1@slack:UOLIVE'],
      ['2026-04-15', 'vendor-reminder', 'review:1:2026-04-15:due@slack:UOLIVE'],
      // The first day overdue costs Acme 10 points, but Olive was reminded of it: no drift finding echoes it.
      ['2026-04-22', 'vendor-reminder', 'review:1:2026-04-15:overdue-7@slack:UOLIVE'],
      ['2026-04-29', 'vendor-reminder', 'review:1:2026-04-15:overdue-14@slack:UOLIVE'],
      // 14 days overdue: a finding for the overdue review, escalated to the approvers at once.
      ['2026-04-29', 'finding-card', 'finding:3:v1:card:slack:CFINDINGS'],
      ['2026-04-29', 'approval-card', 'approval:2:v1:card:slack:CAPPROVALS'],
      ['2026-04-29', 'finding-card', 'finding:3:v2:card:slack:CFINDINGS'],
      ['2026-04-29', 'finding-history', 'finding:3:v2:history:slack:CFINDINGS'],
      ['2026-05-31', 'owner-digest', 'evidence:1:before-30@slack:CBETA'],
      ['2026-06-23', 'owner-digest', 'evidence:1:before-7@slack:CBETA'],
      ['2026-06-29', 'owner-digest', 'evidence:1:before-1@slack:CBETA'],
      // Expiry opens a finding; the fall it causes is that finding, so no drift finding repeats it.
      ['2026-06-30', 'finding-card', 'finding:4:v1:card:slack:CBETA'],
      // Nothing is delivered in this walk, so Olive's last reminder about Acme is still queued: these join it.
      ['2026-08-01', 'vendor-reminder', 'evidence:2:before-30@slack:UOLIVE'],
      // Gamma's risk acceptance ran out: the card is edited to say so and the finding is open again.
      ['2026-10-01', 'finding-card', 'finding:2:v2:card:slack:CFINDINGS'],
      ['2026-10-01', 'finding-history', 'finding:2:v2:history:slack:CFINDINGS'],
      ['2026-10-06', 'vendor-reminder', 'review:1:2026-11-05:before-30@slack:UOLIVE'],
      ['2026-10-29', 'vendor-reminder', 'review:1:2026-11-05:before-7@slack:UOLIVE'],
      ['2027-03-27', 'owner-digest', 'sla:2:2027-03-30:reminder@slack:USAM'],
      ['2027-03-31', 'approval-card', 'approval:3:v1:card:slack:CAPPROVALS'],
      ['2027-03-31', 'finding-card', 'finding:2:v3:card:slack:CFINDINGS'],
      ['2027-03-31', 'finding-history', 'finding:2:v3:history:slack:CFINDINGS'],
      ['2027-04-03', 'vendor-reminder', 'review:1:2027-05-03:before-30@slack:UOLIVE'],
    ]);
    // One digest every Monday, 58 in all, each on time to the findings channel.
    expect(queuedOf(reports, (t) => t === 'digest')).toEqual(
      mondays(START, 58).map((monday) => [monday, 'digest', `digest:${monday}@slack:CFINDINGS`]),
    );
    const reopened = await store.db.selectFrom('findings').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
    expect(reopened.reopened_reason).toBe('Risk acceptance expired on 2026-09-30');
    // Each sweep that fired anything left one audit entry naming every key it fired.
    const sweeps = await store.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'scheduler.sweep')
      .orderBy('seq')
      .execute();
    const audited = sweeps.flatMap((a) => (JSON.parse(a.after ?? '{}') as { fired: { key: string }[] }).fired);
    expect(audited.map((f) => f.key)).toEqual(firedOf(reports).map(([, key]) => key));
  }, 120_000);

  it('restarting half-way (new scheduler, same database file) and sweeping twice a day change nothing', async () => {
    const reports = await walk(store, p, { restartAfter: 200, sweepTwice: true });
    const other = await createTestStore(localInstant(START, 9, 0).toISOString());
    try {
      const baseline = await walk(other, await seed(other));
      expect(firedOf(reports)).toEqual(firedOf(baseline));
      expect(queuedOf(reports, () => true)).toEqual(queuedOf(baseline, () => true));
    } finally {
      await other.cleanup();
    }
  }, 300_000);

  it('after a three-day outage each item sends one late reminder, for its latest missed slot only', async () => {
    const outage = (from: string) => [0, 1, 2].map((d) => addDaysIso(from, d));
    const down = [...outage('2026-03-28'), ...outage('2026-04-13'), ...outage('2026-06-28')];
    const reports = await walk(store, p, { down, days: 125 });
    const late = reports.flatMap((r) => r.messages.filter((m) => m.late).map((m) => [r.today, m.template, m.key]));
    expect(late).toEqual([
      // Down over Sam's SLA reminder day and a Monday: both arrive the morning after, marked late.
      ['2026-03-31', 'owner-digest', 'sla:1:2026-04-01:reminder@slack:USAM'],
      ['2026-03-31', 'digest', 'digest:2026-03-30@slack:CFINDINGS'],
      // Down over "1 day before" and the due day: only the due-day reminder, not both.
      ['2026-04-16', 'vendor-reminder', 'review:1:2026-04-15:due@slack:UOLIVE'],
      ['2026-04-16', 'digest', 'digest:2026-04-13@slack:CFINDINGS'],
      ['2026-07-01', 'digest', 'digest:2026-06-29@slack:CFINDINGS'],
    ]);
    const keys = firedOf(reports).map(([, key]) => key);
    expect(keys).not.toContain('review:1:2026-04-15:before-1');
    expect(keys).not.toContain('evidence:1:before-1');
    // The evidence expired while the bot was down: its finding opens once, on the first day back.
    expect(firedOf(reports).filter(([, key]) => key?.startsWith('evidence:1:'))).toEqual([
      ['2026-05-31', 'evidence:1:before-30', 'on time'],
      ['2026-06-23', 'evidence:1:before-7', 'on time'],
      ['2026-07-01', 'evidence:1:expired', 'late'],
    ]);
    const lateSweeps = await store.db
      .selectFrom('audit_log')
      .select(['at', 'reason'])
      .where('action', '=', 'scheduler.sweep')
      .where('reason', 'is not', null)
      .execute();
    expect(lateSweeps.map((a) => a.at.slice(0, 10))).toEqual(['2026-03-31', '2026-04-16', '2026-07-01']);
    expect(lateSweeps[0]?.reason).toBe(LATE_REASON);
    const rows = await store.db.selectFrom('fired_triggers').selectAll().where('late', '=', 1).orderBy('key').execute();
    expect(rows.map((r) => r.key)).toEqual([
      'digest:2026-03-30',
      'digest:2026-04-13',
      'digest:2026-06-29',
      'evidence:1:expired',
      'review:1:2026-04-15:due',
      'sla:1:2026-04-01:reminder',
    ]);
  }, 120_000);
});
