import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { SweepReport } from '../../src/scheduler/sweep.ts';
import { insertVendor } from '../support/fixtures.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The ticker around the sweep: it sweeps at start (the catch-up), tells the composition root when
// messages were queued so the relay is nudged, never runs two sweeps at once, and stops cleanly.

describe('scheduler ticker', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore('2026-06-02T10:00:00.000Z');
    await insertVendor(store, { name: 'Acme Health Cloud', nextReviewOn: '2026-05-20' });
    // The bot last swept on the due day and was down since: the reminder it missed comes late.
    await store.db
      .insertInto('scheduler_heartbeats')
      .values({ name: 'sweep', swept_at: '2026-05-20T09:00:00.000Z' })
      .execute();
  });
  afterEach(() => store.cleanup());

  it('sweeps at start and hands the queued messages to onEnqueued', async () => {
    let resolveQueued: (report: SweepReport) => void = () => undefined;
    const queued = new Promise<SweepReport>((resolve) => {
      resolveQueued = resolve;
    });
    const scheduler = createScheduler(store.deps, { onEnqueued: (report) => resolveQueued(report) });
    scheduler.start();
    const report = await queued;
    await scheduler.stop();
    expect(report.messages).toContainEqual({
      key: 'review:1:2026-05-20:overdue-7@slack:UOLIVE',
      target: 'slack:UOLIVE',
      template: 'vendor-reminder',
      late: true,
    });
  });

  it('stops only after the sweep in progress has committed', async () => {
    const scheduler = createScheduler(store.deps);
    scheduler.start();
    await scheduler.stop();
    const fired = await store.db.selectFrom('fired_triggers').select('key').orderBy('key').execute();
    expect(fired.map((f) => f.key)).toEqual(['digest:2026-06-01', 'review:1:2026-05-20:overdue-7']);
  });

  it('runs overlapping requests one after another, so the second finds nothing left and nudges nobody', async () => {
    const nudges: number[] = [];
    const scheduler = createScheduler(store.deps, { onEnqueued: (r) => nudges.push(r.messages.length) });
    const [first, second] = await Promise.all([scheduler.sweepOnce(), scheduler.sweepOnce()]);
    expect(first.fired.map((f) => f.key)).toEqual(['review:1:2026-05-20:overdue-7', 'digest:2026-06-01']);
    expect(second.fired).toEqual([]);
    expect(nudges).toEqual([first.messages.length]);
  });
});
