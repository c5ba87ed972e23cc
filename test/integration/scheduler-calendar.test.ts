import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDaysIso } from '../../src/core/common/dates.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { nextReviewOn } from '../../src/core/policy/cadence.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, openTestFinding } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// Month ends and a leap day: a critical vendor last reviewed on 31 August 2027 is due again on
// 29 February 2028 (six months, clamped to the month's end), and its reminders count back across
// the short month; a document expiring on 31 March is first reminded on 1 March.

describe('reminders across month ends and a leap day', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore('2028-01-20T10:00:00.000Z');
  });
  afterEach(() => store.cleanup());

  it('fires each slot on the right calendar day', async () => {
    const due = nextReviewOn('2027-08-31', 'critical', store.deps.policy);
    expect(due).toBe('2028-02-29');
    const vendorId = await insertVendor(store, { tier: 'critical', nextReviewOn: due });
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'pentest', expiresOn: '2028-02-29' }),
    );
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'insurance', expiresOn: '2028-03-31' }),
    );
    // The documents policy requires of a critical PHI vendor, valid throughout, so no finding for a
    // missing one joins the slots under test.
    await inTransaction(store.deps.db, async (tx) => {
      await recordEvidence(tx, store.deps, dana, { vendorId, type: 'hipaa_baa', expiresOn: '2030-12-31' });
      await recordEvidence(tx, store.deps, dana, { vendorId, type: 'soc2_type2', expiresOn: '2030-12-31' });
    });

    const fired: [string, string][] = [];
    for (let day = '2028-01-25'; day <= '2028-03-10'; day = addDaysIso(day, 1)) {
      store.clock.set(`${day}T10:00:00.000Z`);
      // A critical finding opened on 27 February has a 7-day SLA: due 5 March, across the leap day.
      if (day === '2028-02-27')
        expect((await openTestFinding(store, vendorId, 'scan:1', 'critical')).sla_due_on).toBe('2028-03-05');
      const report = await runSweep(store.deps);
      for (const f of report.fired) if (!f.key.startsWith('digest:')) fired.push([day, f.key]);
    }
    expect(fired).toEqual([
      ['2028-01-30', 'evidence:1:before-30'],
      ['2028-01-30', 'review:1:2028-02-29:before-30'],
      ['2028-02-22', 'evidence:1:before-7'],
      ['2028-02-22', 'review:1:2028-02-29:before-7'],
      ['2028-02-28', 'evidence:1:before-1'],
      ['2028-02-28', 'review:1:2028-02-29:before-1'],
      ['2028-02-29', 'evidence:1:expired'],
      ['2028-02-29', 'review:1:2028-02-29:due'],
      ['2028-03-01', 'evidence:2:before-30'],
      ['2028-03-02', 'sla:1:2028-03-05:reminder'],
      ['2028-03-06', 'sla:1:2028-03-05:breach'],
      ['2028-03-07', 'review:1:2028-02-29:overdue-7'],
    ]);
  });
});
