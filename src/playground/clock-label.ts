import { appendAudit } from '../core/audit/log.ts';
import type { Clock } from '../core/common/clock.ts';
import { type Db, inTransaction } from '../store/database.ts';

// The playground's clock runs ahead of real time when a user moves it on. Its database is its own, and
// each move is written into that database's audit trail, so nobody mistakes its future dates for real ones.

export const PLAYGROUND_CLOCK_MOVED = 'playground.clock_moved';

export async function labelSimulatedClock(db: Db, clock: Clock, days: number, offsetMs: number): Promise<void> {
  await inTransaction(db, (tx) =>
    appendAudit(tx, clock, {
      actor: { id: 'system', name: 'vendor-risk playground' },
      action: PLAYGROUND_CLOCK_MOVED,
      entityType: 'playground',
      entityId: 'clock',
      after: { days, offset_ms: offsetMs, simulated_now: clock.now().toISOString() },
      reason: `Playground: simulated time, ${Math.round(offsetMs / 86_400_000)} days ahead of real time from here on`,
    }),
  );
}
