import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { dispatchCommand } from '../../src/chat/dispatch.ts';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { myWorkOf } from '../../src/chat/views/my-work-data.ts';
import { reviewsDueFor } from '../../src/core/assessments/queries.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { evidenceToRenewFor } from '../../src/core/evidence/queries.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { assign } from '../../src/core/findings/actions.ts';
import { triageQueue } from '../../src/core/findings/queries.ts';
import { proposeFix } from '../../src/core/findings/verified-closure.ts';
import { HOME_TEMPLATE, noteHomeOpened } from '../../src/core/messaging/home-refresh.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { inTransaction } from '../../src/store/database.ts';
import { replyOf, slackContext } from '../support/command-world.ts';
import { createTeamStore, dana, insertVendor, olive, openTestFinding, outbox, pat, vic } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// One person's work queue read from a real store: what each role has in front of it, in the order it
// should be done, and the Home refreshes a change queues for the people whose queue it touched.

let store: TestStore;
const TODAY = '2026-06-01';

beforeEach(async () => {
  store = await createTeamStore(`${TODAY}T09:00:00.000Z`);
  for (const person of [dana, olive, pat, vic]) await rememberPerson(store.db, store.clock, person);
});
afterEach(() => store.cleanup());

const homes = async () => (await outbox(store)).filter((r) => r.template === HOME_TEMPLATE);
const myWork = (actor: Actor) => myWorkOf(store.deps, actor);

async function evidence(vendorId: number, type: string, expiresOn: string) {
  await inTransaction(store.db, (tx) => recordEvidence(tx, store.deps, dana, { vendorId, type, expiresOn }));
}

describe("a vendor owner's queue", () => {
  it('lists every overdue and due-soon review by date, overdue first, not only the reassessments opened', async () => {
    await insertVendor(store, { name: 'Zeta Trials', nextReviewOn: '2026-05-02' });
    await insertVendor(store, { name: 'Alpha Labs', nextReviewOn: '2026-05-20' });
    await insertVendor(store, { name: 'Mid Cloud', nextReviewOn: '2026-03-01' });
    await insertVendor(store, { name: 'Soon Health', nextReviewOn: '2026-06-10' });
    await insertVendor(store, { name: 'Later Inc', nextReviewOn: '2026-12-01' });
    await insertVendor(store, { name: 'Not Hers', nextReviewOn: '2026-01-01', owner: vic });
    await dispatchCommand(registry, slackContext(store.deps, dana, null), 'reassess "Alpha Labs"');

    const reviews = await reviewsDueFor(store.db, olive.id, '2026-07-01');
    expect(reviews.map((r) => [r.vendor_name, r.due_on, r.assessment ? 'open' : 'not opened'])).toEqual([
      ['Mid Cloud', '2026-03-01', 'not opened'],
      ['Zeta Trials', '2026-05-02', 'not opened'],
      ['Alpha Labs', '2026-05-20', 'open'],
      ['Soon Health', '2026-06-10', 'not opened'],
    ]);
    const text = replyOf(await dispatchCommand(registry, slackContext(store.deps, olive, null), 'my work')).text;
    expect(text).toContain('Reviews overdue and due soon (4):');
    expect(text).toContain('• Mid Cloud (critical tier) · review overdue by 92 days (2026-03-01)');
    expect(text).toContain('• Alpha Labs (critical tier) · review overdue by 12 days (2026-05-20) · 0 of 14');
  });

  it('lists findings to fix and evidence to renew; a renewal takes the document off', async () => {
    const acme = await insertVendor(store, { nextReviewOn: '2026-12-01' });
    await evidence(acme, 'soc2_type2', '2026-06-10');
    await evidence(acme, 'hipaa_baa', '2026-05-01');
    await evidence(acme, 'pentest', '2027-01-01');
    const finding = await openTestFinding(store, acme);

    const before = await myWork(olive);
    expect(before.evidence.map((e) => [e.type, e.expires_on])).toEqual([
      ['hipaa_baa', '2026-05-01'],
      ['soc2_type2', '2026-06-10'],
    ]);
    expect(before.fixes.map((f) => f.id)).toEqual([finding.id]);
    expect(before.roles.owner).toBe(true);

    await evidence(acme, 'hipaa_baa', '2027-05-01');
    expect((await evidenceToRenewFor(store.db, olive.id, '2026-07-01')).map((e) => e.type)).toEqual(['soc2_type2']);
    // A fix marked done waits for an analyst, not for the owner.
    await inTransaction(store.db, (tx) => proposeFix(tx, store.deps, olive, finding.id, { note: 'Port closed' }));
    expect((await myWork(olive)).fixes).toEqual([]);
  });
});

describe("an analyst's triage queue", () => {
  it('puts each finding once under the most urgent heading: SLA breached, unassigned critical/high, fixes to verify', async () => {
    const acme = await insertVendor(store);
    const breached = await openTestFinding(store, acme, 'signal:old', 'critical');
    const fresh = await openTestFinding(store, acme, 'signal:new', 'high');
    const medium = await openTestFinding(store, acme, 'signal:medium', 'medium');
    const assigned = await openTestFinding(store, acme, 'signal:assigned', 'critical');
    const fixed = await openTestFinding(store, acme, 'signal:fixed', 'high');
    await store.db.updateTable('findings').set({ sla_due_on: '2026-05-20' }).where('id', '=', breached.id).execute();
    await inTransaction(store.db, async (tx) => {
      await assign(tx, store.deps, dana, assigned.id, olive);
      await proposeFix(tx, store.deps, olive, fixed.id, { note: 'Rotated the keys' });
    });

    const queue = await triageQueue(store.db, dana.id, TODAY);
    expect(queue.breached.map((f) => f.id)).toEqual([breached.id]);
    expect(queue.unassigned.map((f) => f.id)).toEqual([fresh.id]);
    expect(queue.toVerify.map((f) => f.id)).toEqual([fixed.id]);
    expect([...queue.breached, ...queue.unassigned, ...queue.toVerify].map((f) => f.id)).not.toContain(medium.id);
    // Whoever marked a fix does not verify it: it is not in their own queue.
    expect((await triageQueue(store.db, olive.id, TODAY)).toVerify).toEqual([]);
  });

  it('reads an all-clear, not a blank page, when nothing waits', async () => {
    const text = replyOf(await dispatchCommand(registry, slackContext(store.deps, dana, null), 'my work')).text;
    expect(text).toContain('My work: all clear.');
    expect(text).toContain('Triage is clear');
    expect(text).toContain('No decisions are waiting for you.');
    const viewer = replyOf(await dispatchCommand(registry, slackContext(store.deps, vic, null), 'my work')).text;
    expect(viewer).toContain('Nothing needs you right now');
    expect(viewer).not.toContain('Triage');
  });
});

describe('Home refreshes', () => {
  it("reach a person's Slack Home when their role is granted to their linked Teams account", async () => {
    const at = store.clock.now().toISOString();
    await store.db
      .insertInto('role_grants')
      .values({ principal: 'teams:aad-1', role: 'analyst', granted_by: 'cli:setup', granted_at: at })
      .execute();
    await store.db
      .insertInto('person_links')
      .values({ principal: 'slack:ULINKED', person: 'teams:aad-1', linked_by: 'cli:setup', linked_at: at })
      .execute();
    await noteHomeOpened(store.db, store.clock, 'slack:ULINKED');
    await openTestFinding(store, await insertVendor(store));
    expect((await homes()).map((r) => r.target)).toEqual(['slack:ULINKED']);
  });

  it('are queued only for people who opened their Home, and one waiting refresh per person takes later changes', async () => {
    const acme = await insertVendor(store);
    await openTestFinding(store, acme, 'signal:before-anyone-looked');
    expect(await homes()).toEqual([]);

    for (const person of [olive, pat]) await noteHomeOpened(store.db, store.clock, person.id);
    await openTestFinding(store, acme, 'signal:1');
    await openTestFinding(store, acme, 'signal:2');
    expect((await homes()).map((r) => r.target).sort()).toEqual([olive.id, pat.id]);

    // Claimed by a relay (leased): the next change queues a fresh one after it rather than joining it.
    await store.db.updateTable('outbox').set({ lease_until: '2026-06-01T09:01:00.000Z' }).execute();
    await openTestFinding(store, acme, 'signal:3');
    const rows = await homes();
    expect(rows.filter((r) => r.target === olive.id)).toHaveLength(2);
    const render = renderNotification(store.deps);
    const [older, newer] = rows.filter((r) => r.target === olive.id);
    expect(await render(older!)).toBeNull();
    const home = await render(newer!);
    expect(JSON.stringify(home?.blocks)).toContain('Findings to fix (4)');
  });
});
