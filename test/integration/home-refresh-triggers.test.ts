import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { declareIncident } from '../../src/core/incidents/declare.ts';
import { assignTask, setLead } from '../../src/core/incidents/work.ts';
import { HOME_TEMPLATE, noteHomeOpened } from '../../src/core/messaging/home-refresh.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, olive, outbox, pat, vic } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// Homes go stale without anyone acting: a new day makes a review overdue, and an incident's changes
// move it on and off the Homes of its lead and task holders. Both queue a refresh of those Homes.

let store: TestStore;

beforeEach(async () => {
  store = await createTeamStore('2026-06-01T09:00:00.000Z');
  for (const person of [dana, olive, pat, vic]) await rememberPerson(store.db, store.clock, person);
});
afterEach(() => store.cleanup());

const homeTargets = async () =>
  (await outbox(store))
    .filter((r) => r.template === HOME_TEMPLATE)
    .map((r) => r.target)
    .sort();
const forgetRefreshes = () => store.db.deleteFrom('outbox').where('template', '=', HOME_TEMPLATE).execute();
const sweepAt = (iso: string) => runSweep(store.deps, { now: new Date(iso) });

describe('the daily sweep', () => {
  it("refreshes every Home once a day, so a review that fell overdue overnight shows on its owner's", async () => {
    await insertVendor(store, { name: 'Zeta Trials', nextReviewOn: '2026-06-10' });
    await sweepAt('2026-06-01T09:05:00.000Z');
    for (const person of [olive, pat]) await noteHomeOpened(store.db, store.clock, person.id);
    await forgetRefreshes();

    await sweepAt('2026-06-11T06:00:00.000Z');
    expect(await homeTargets()).toEqual([olive.id, pat.id].sort());
    const home = (await outbox(store)).find((r) => r.template === HOME_TEMPLATE && r.target === olive.id)!;
    const rendered = await renderNotification({
      ...store.deps,
      clock: { now: () => new Date('2026-06-11T06:01:00Z') },
    })(home);
    expect(JSON.stringify(rendered?.blocks)).toContain('review overdue by 1 day (2026-06-10)');

    // Later ticks the same day queue no more; the next day's first one does.
    await forgetRefreshes();
    await sweepAt('2026-06-11T07:00:00.000Z');
    await sweepAt('2026-06-11T18:00:00.000Z');
    expect(await homeTargets()).toEqual([]);
    await sweepAt('2026-06-12T06:00:00.000Z');
    expect(await homeTargets()).toEqual([olive.id, pat.id].sort());
  });
});

describe('incident changes', () => {
  it('refresh the Homes of its lead, its task holders and whoever it was taken from', async () => {
    const vendorId = await insertVendor(store, { name: 'Trial Cloud' });
    for (const person of [dana, olive, pat, vic]) await noteHomeOpened(store.db, store.clock, person.id);
    const incident = await inTransaction(store.db, (tx) =>
      declareIncident(tx, store.deps, dana, { vendorId, scenario: 'datastore', summary: 'Open cluster' }),
    );
    expect(await homeTargets()).toEqual([dana.id]);
    const home = (await outbox(store)).find((r) => r.template === HOME_TEMPLATE)!;
    expect(JSON.stringify((await renderNotification(store.deps)(home))?.blocks)).toContain(
      `#${incident.id} Trial Cloud: Open cluster (you lead it`,
    );

    await forgetRefreshes();
    await inTransaction(store.db, (tx) => setLead(tx, store.deps, dana, incident.id, olive));
    expect(await homeTargets()).toEqual([dana.id, olive.id].sort());

    await forgetRefreshes();
    await inTransaction(store.db, (tx) => assignTask(tx, store.deps, olive, incident.id, 1, pat));
    expect(await homeTargets()).toEqual([olive.id, pat.id].sort());
    await forgetRefreshes();
    await inTransaction(store.db, (tx) => assignTask(tx, store.deps, olive, incident.id, 1, vic));
    expect(await homeTargets()).toEqual([olive.id, pat.id, vic.id].sort());
  });
});
