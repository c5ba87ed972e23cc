import { appendAudit } from '../core/audit/log.ts';
import { type Actor, SYSTEM_ACTOR } from '../core/common/actor.ts';
import { type Clock, ManualClock } from '../core/common/clock.ts';
import { todayIn } from '../core/common/dates.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { conflict } from '../core/common/errors.ts';
import { FINDING_STATES, type FindingState } from '../core/common/vocabulary.ts';
import { rememberPerson } from '../core/roles/people.ts';
import { grantRole } from '../core/roles/permissions.ts';
import { type DbOrTx, inTransaction, type Tx } from '../store/database.ts';
import { recordLegacyVendors, seedIntake } from './intake-seed.ts';
import { loadPortfolio, type Portfolio } from './portfolio.ts';
import { DEMO_ROUTING } from './routing.ts';
import { seedDemoIncident } from './seed-incident.ts';
import { runStep, type SeedContext } from './seed-steps.ts';
import { stepInstants } from './sim-time.ts';
import { planTimeline, setupDay, type TimedStep } from './timeline.ts';

// Seeds the demo portfolio through the core, in one transaction: either the whole demo is there or
// nothing is. Used by `vendor-risk seed --demo` and by the local playground.

export const DEMO_SEED_ACTION = 'demo.seed';

export interface SeedOptions {
  /** The "today" the portfolio's relative days count from; the core dependencies' clock by default. */
  clock?: Clock;
  /** Who seeds: grants the personas their roles and is named on the seed's first audit entry. */
  actor?: Actor;
  portfolio?: Portfolio;
  /** Also seed the lifecycle's front door (a requested vendor, one in due diligence): the playground does. */
  intake?: boolean;
}

export interface SeedSummary {
  vendors: number;
  evidence: number;
  signals: number;
  assessments: number;
  findings: Record<FindingState, number>;
  auditRows: number;
}

async function count(db: DbOrTx, table: 'vendors' | 'evidence' | 'signals' | 'assessments' | 'audit_log') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Has the demo been seeded into this database? (Its seed leaves one marker in the audit trail.) */
export async function isDemoSeeded(db: DbOrTx): Promise<boolean> {
  const row = await db.selectFrom('audit_log').select('seq').where('action', '=', DEMO_SEED_ACTION).executeTakeFirst();
  return row !== undefined;
}

async function setUp(tx: Tx, ctx: SeedContext, portfolio: Portfolio, actor: Actor, realNow: Date): Promise<void> {
  const first = ctx.deps.clock.now().toISOString();
  await appendAudit(tx, ctx.deps.clock, {
    actor,
    action: DEMO_SEED_ACTION,
    entityType: 'demo',
    entityId: 'portfolio',
    after: { vendors: portfolio.vendors.length, people: portfolio.people.length, seeded_at: realNow.toISOString() },
    reason: `Demo data: the times in this trail from ${first.slice(0, 10)} on are simulated`,
  });
  for (const p of portfolio.people) {
    await rememberPerson(tx, ctx.deps.clock, { id: p.principal, name: p.name });
    for (const role of p.roles) await grantRole(tx, ctx.deps.clock, actor, p.principal, role);
  }
}

function byDay(steps: TimedStep[]): Map<number, TimedStep[]> {
  const days = new Map<number, TimedStep[]>();
  for (const s of steps) days.set(s.day, [...(days.get(s.day) ?? []), s]);
  return days;
}

export async function seedDemo(deps: CoreDeps, options: SeedOptions = {}): Promise<SeedSummary> {
  const anchor = options.clock ?? deps.clock;
  const portfolio = options.portfolio ?? loadPortfolio();
  const actor = options.actor ?? SYSTEM_ACTOR;
  const today = todayIn(anchor, deps.timeZone);
  const replay = new ManualClock(anchor.now());
  const people = new Map(portfolio.people.map((p) => [p.principal, { id: p.principal, name: p.name }]));
  const withRole = (role: 'analyst' | 'approver') => {
    const found = portfolio.people.find((p) => p.roles.includes(role));
    if (!found) throw new Error(`the demo portfolio names no ${role}`);
    return people.get(found.principal)!;
  };

  return inTransaction(deps.db, async (tx) => {
    if ((await count(tx, 'vendors')) > 0) {
      throw conflict(
        (await isDemoSeeded(tx))
          ? 'The demo portfolio is already seeded in this database. Nothing was changed.'
          : 'This database already holds a vendor inventory; the demo is only seeded into an empty one. Nothing was changed.',
      );
    }
    const ctx: SeedContext = {
      tx,
      deps: { ...deps, clock: replay, routing: DEMO_ROUTING },
      today,
      people,
      analyst: withRole('analyst'),
      approver: withRole('approver'),
      vendorIds: new Map(),
      findingIds: new Map(),
      requestIds: new Map(),
      assessmentIds: new Map(),
    };
    const setup = setupDay(portfolio);
    const days = byDay(planTimeline(portfolio));
    for (const day of [...new Set([setup, ...days.keys()])].sort((a, b) => a - b)) {
      const steps = days.get(day) ?? [];
      const extra = day === setup ? 1 : 0;
      const instants = stepInstants(anchor, deps.timeZone, day, steps.length + extra);
      if (extra) {
        replay.set(instants[0]!);
        await setUp(tx, ctx, portfolio, actor, anchor.now());
      }
      for (const [i, { step }] of steps.entries()) {
        replay.set(instants[i + extra]!);
        await runStep(ctx, step);
      }
    }
    await seedDemoIncident(ctx);
    await recordLegacyVendors(ctx, actor);
    if (options.intake) await seedIntake(ctx);
    return summarise(tx);
  });
}

async function summarise(db: DbOrTx): Promise<SeedSummary> {
  const states = await db
    .selectFrom('findings')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const findings = Object.fromEntries(FINDING_STATES.map((s) => [s, 0])) as Record<FindingState, number>;
  for (const row of states) findings[row.state] = Number(row.n);
  return {
    vendors: await count(db, 'vendors'),
    evidence: await count(db, 'evidence'),
    signals: await count(db, 'signals'),
    assessments: await count(db, 'assessments'),
    findings,
    auditRows: await count(db, 'audit_log'),
  };
}
