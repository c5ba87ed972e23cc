import { sql } from 'kysely';
import { ManualClock } from '../core/common/clock.ts';
import type { Db } from '../store/database.ts';

// The playground's time: real time plus an offset that only grows. Moving it forward a day, a week or
// a month lets reminders, expiries and escalations be seen happening without waiting for them; it keeps
// ticking in between so the times on cards and in the audit trail still read like real use.

export const DAY_MS = 24 * 60 * 60 * 1000;

export class PlaygroundClock extends ManualClock {
  #offsetMs: number;
  readonly #realNow: () => number;

  constructor(offsetMs = 0, realNow: () => number = Date.now) {
    super(new Date(realNow()));
    this.#offsetMs = Math.max(0, offsetMs);
    this.#realNow = realNow;
  }

  override now(): Date {
    return new Date(this.#realNow() + this.#offsetMs);
  }

  /** Moves to `at`, never backwards: the store already holds times up to now. */
  override set(at: Date | string): void {
    this.#offsetMs = Math.max(this.#offsetMs, new Date(at).getTime() - this.#realNow());
  }

  override advance(ms: number): void {
    if (ms > 0) this.#offsetMs += ms;
  }

  /** How far ahead of real time the playground runs. */
  get offsetMs(): number {
    return this.#offsetMs;
  }
}

/**
 * The offset at which a kept playground database resumes: the latest time it has recorded (audit trail,
 * fired triggers, queued messages), so a restart after moving the clock on never goes back in time.
 */
export async function resumeOffset(db: Db, realNow: number = Date.now()): Promise<number> {
  const result = await sql<{ latest: string | null }>`
    select max(t) as latest from (
      select max(at) as t from audit_log
      union all select max(fired_at) from fired_triggers
      union all select max(created_at) from outbox
    ) as times`.execute(db);
  const latest = result.rows[0]?.latest;
  return latest ? Math.max(0, Date.parse(latest) - realNow) : 0;
}
