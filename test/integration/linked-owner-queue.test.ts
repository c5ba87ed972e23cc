import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { dispatchCommand } from '../../src/chat/dispatch.ts';
import { myHomeBlocks, myWorkOf } from '../../src/chat/views/my-work-data.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { declareIncident } from '../../src/core/incidents/declare.ts';
import { linkPrincipals } from '../../src/core/roles/identity.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { inTransaction } from '../../src/store/database.ts';
import { replyOf, slackContext } from '../support/command-world.ts';
import { ada, createTeamStore, dana, insertVendor, olive, openTestFinding, vic } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// One person, two accounts: Olive owns one vendor under her Teams account and one under her Slack
// account. Linked, both are hers wherever she looks: Home, `my work`, `list owner:me`.

const oliveOnTeams: Actor = { id: 'teams:aad-olive', name: 'Olive Owner' };

let store: TestStore;
let teamsOwned: number;

beforeEach(async () => {
  store = await createTeamStore('2026-06-01T09:00:00.000Z');
  for (const person of [dana, olive, vic, oliveOnTeams]) await rememberPerson(store.db, store.clock, person);
  teamsOwned = await insertVendor(store, { name: 'Teams Owned', owner: oliveOnTeams, nextReviewOn: '2026-05-01' });
  await insertVendor(store, { name: 'Slack Owned', owner: olive, nextReviewOn: '2026-05-20' });
  await inTransaction(store.db, (tx) =>
    recordEvidence(tx, store.deps, dana, { vendorId: teamsOwned, type: 'SOC 2 Type II', expiresOn: '2026-06-15' }),
  );
  await openTestFinding(store, teamsOwned);
});
afterEach(() => store.cleanup());

const link = () => inTransaction(store.db, (tx) => linkPrincipals(tx, store.clock, ada, olive.id, oliveOnTeams.id));

describe('an owner with linked Slack and Teams accounts', () => {
  it('sees the vendors owned under either account in their queue, from either side', async () => {
    const before = await myWorkOf(store.deps, olive);
    expect(before.reviews.map((r) => r.vendor_name)).toEqual(['Slack Owned']);
    expect(before.evidence).toEqual([]);

    await link();
    for (const who of [olive, oliveOnTeams]) {
      const work = await myWorkOf(store.deps, who);
      expect(work.roles.owner).toBe(true);
      expect(work.reviews.map((r) => r.vendor_name)).toEqual(['Teams Owned', 'Slack Owned']);
      expect(work.evidence.map((e) => e.vendor_name)).toEqual(['Teams Owned']);
      expect(work.fixes.map((f) => f.vendor_id)).toEqual([teamsOwned]);
    }
    const text = replyOf(await dispatchCommand(registry, slackContext(store.deps, olive, null), 'my work')).text;
    expect(text).toContain('Reviews overdue and due soon (2):');
    // Someone else's queue stays their own.
    expect((await myWorkOf(store.deps, vic)).reviews).toEqual([]);
  });

  it('lists them under `list owner:me`, and an incident led from Teams shows on the Slack Home', async () => {
    const mine = async () =>
      replyOf(await dispatchCommand(registry, slackContext(store.deps, olive, null), 'list owner:me')).text;
    expect(await mine()).not.toContain('Teams Owned');
    await link();
    const listed = await mine();
    expect(listed).toContain('Teams Owned');
    expect(listed).toContain('Slack Owned');

    await inTransaction(store.db, (tx) =>
      declareIncident(tx, store.deps, dana, {
        vendorId: teamsOwned,
        scenario: 'datastore',
        summary: 'Open cluster',
        leadId: oliveOnTeams.id,
      }),
    );
    const home = JSON.stringify(await myHomeBlocks(store.deps, olive));
    expect(home).toContain('Teams Owned: Open cluster (you lead it');
  });
});
