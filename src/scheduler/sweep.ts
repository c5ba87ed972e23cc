import { type Logger, pino } from 'pino';
import type { Clock } from '../core/common/clock.ts';
import { todayOf } from '../core/common/dates.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { inTransaction, type Tx } from '../store/database.ts';
import { datedWorkDone, datedWorkPending } from './dated-work.ts';
import { runDigestTrigger } from './digest-trigger.ts';
import { runEvidenceTrigger } from './evidence-trigger.ts';
import { runAcceptanceExpiryTrigger, runSlaBreachTrigger, runSlaReminderTrigger } from './finding-triggers.ts';
import { auditSweep, type SweepContext } from './firing.ts';
import { runHomeTrigger } from './home-trigger.ts';
import { runIncidentClockTrigger } from './incident-trigger.ts';
import { runLifecycleTrigger } from './lifecycle-trigger.ts';
import { type PostureOutcome, runPostureTrigger } from './posture-trigger.ts';
import { runReviewTrigger } from './review-trigger.ts';

// One sweep: read the store at one instant, fire everything due, in one transaction. Nothing is sent
// here; messages go to the outbox and the relay delivers them. A dry run does all the same work and
// rolls the transaction back, so what it reports is exactly what a real sweep would have queued.

export interface SweepOptions {
  /** Pretend it is this instant (the CLI's --now); defaults to the injected clock. */
  now?: Date;
  /** Do everything, report it, keep nothing. */
  dryRun?: boolean;
  log?: Logger;
}

export interface SweptMessage {
  key: string;
  target: string;
  template: string;
  late: boolean;
}

export interface SweepReport {
  /** The instant the sweep read the store at, ISO-8601 UTC. */
  at: string;
  /** That instant's calendar date in the deployment's zone. */
  today: string;
  dryRun: boolean;
  /** Trigger keys fired, in order. */
  fired: { key: string; late: boolean }[];
  /** Every message queued, reminders and the cards the triggers' domain steps posted. */
  messages: SweptMessage[];
  /** Vendors given today's posture snapshot by this sweep, and those whose drift opened a finding. */
  snapshots: number;
  drifted: number[];
  /** Items whose work failed: logged, left due, retried next sweep. */
  failed: string[];
}

class RolledBack extends Error {
  readonly report: SweepReport;
  constructor(report: SweepReport) {
    super('dry run rolled back');
    this.report = report;
  }
}

const silent = pino({ level: 'silent' });

/** A clock stopped at one instant: every trigger in a sweep agrees on "now" and "today". */
function frozen(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}

const HEARTBEAT = 'sweep';

async function lastSweep(tx: Tx): Promise<Date | null> {
  const row = await tx
    .selectFrom('scheduler_heartbeats')
    .select('swept_at')
    .where('name', '=', HEARTBEAT)
    .executeTakeFirst();
  return row ? new Date(row.swept_at) : null;
}

/** Remembers this sweep's instant, never moving it back (a CLI sweep `--now` in the past). */
async function recordSweep(tx: Tx, at: Date, last: Date | null): Promise<void> {
  if (last && last.getTime() >= at.getTime()) return;
  const sweptAt = at.toISOString();
  await tx
    .insertInto('scheduler_heartbeats')
    .values({ name: HEARTBEAT, swept_at: sweptAt })
    .onConflict((oc) => oc.column('name').doUpdateSet({ swept_at: sweptAt }))
    .execute();
}

export async function runSweep(deps: CoreDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const at = options.now ?? deps.clock.now();
  const swept: CoreDeps = { ...deps, clock: frozen(at) };
  const today = todayOf(swept);
  const dryRun = options.dryRun ?? false;
  try {
    return await inTransaction(deps.db, async (tx) => {
      const lastSweepAt = await lastSweep(tx);
      const ctx: SweepContext = {
        tx,
        deps: swept,
        today,
        log: options.log ?? silent,
        fired: [],
        failed: [],
        lastSweepAt,
      };
      const last = await tx
        .selectFrom('outbox')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      // Order matters a little: findings opened or reopened today count in today's posture snapshot,
      // and the digest, built later from the store, sees the day's snapshots.
      const dated = await datedWorkPending(tx, today);
      if (dated) {
        await runAcceptanceExpiryTrigger(ctx);
        await runSlaBreachTrigger(ctx);
        await runSlaReminderTrigger(ctx);
      }
      await runIncidentClockTrigger(ctx);
      let posture: PostureOutcome = { snapshots: 0, drifted: [] };
      if (dated) {
        await runEvidenceTrigger(ctx);
        await runReviewTrigger(ctx);
        await runLifecycleTrigger(ctx);
        posture = await runPostureTrigger(ctx);
      }
      await runDigestTrigger(ctx);
      await runHomeTrigger(ctx);
      if (dated && ctx.failed.length === 0) await datedWorkDone(tx, today);
      await auditSweep(ctx);
      await recordSweep(tx, at, lastSweepAt);
      const messages = await tx
        .selectFrom('outbox')
        .select(['idempotency_key as key', 'target', 'template', 'late'])
        .where('id', '>', Number(last?.id ?? 0))
        .orderBy('id')
        .execute();
      const report: SweepReport = {
        at: at.toISOString(),
        today,
        dryRun,
        fired: ctx.fired.map(({ key, late }) => ({ key, late })),
        messages: messages.map((m) => ({ ...m, late: m.late === 1 })),
        snapshots: posture.snapshots,
        drifted: posture.drifted,
        failed: ctx.failed,
      };
      if (dryRun) throw new RolledBack(report);
      return report;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.report;
    throw error;
  }
}
