import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { todayOf } from '../../src/core/common/dates.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { Relay } from '../../src/delivery/relay.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { RecordingSender } from '../support/demo-month.ts';
import { createTeamStore, dana, insertVendor, sam } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// A heads-up goes to the owner's "Coming up" digest only while nothing about that vendor needs action
// now. Once something does (here the review is overdue), the vendor gets its own reminder and its
// heads-ups move into it, so the owner reads about the vendor in one message, not in two.

describe("an owner's digest and a vendor's own reminder", () => {
  let store: TestStore;
  let sender: RecordingSender;
  let relay: Relay;
  beforeEach(async () => {
    store = await createTeamStore('2026-06-01T09:30:00.000Z');
    sender = new RecordingSender(store.db, () => todayOf(store.deps));
    relay = new Relay({
      db: store.db,
      clock: store.clock,
      senders: { slack: sender },
      render: renderNotification(store.deps),
    });
  });
  afterEach(() => store.cleanup());

  const samsDms = () => sender.posts.filter((m) => m.target === sam.id);

  it("puts the heads-up of a vendor with an overdue review into that vendor's reminder, sending no digest", async () => {
    const beta = await insertVendor(store, {
      name: 'Beta Payroll',
      tier: 'medium',
      owner: sam,
      nextReviewOn: '2026-05-25',
    });
    await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: beta, type: 'pentest', expiresOn: '2026-06-08' }),
    );
    await runSweep(store.deps);
    await relay.drainOnce();
    expect(samsDms().map((m) => m.template)).toEqual(['vendor-reminder']);
    const [reminder] = samsDms();
    expect(reminder?.reply.text).toMatch(/overdue/i);
    expect(reminder?.reply.text).toContain('Penetration test of Beta Payroll expires in 7 days');
  });

  it('keeps a digest for the heads-ups of vendors with nothing due now', async () => {
    const beta = await insertVendor(store, {
      name: 'Beta Payroll',
      tier: 'medium',
      owner: sam,
      nextReviewOn: '2026-05-25',
    });
    const gamma = await insertVendor(store, {
      name: 'Gamma Labs',
      tier: 'medium',
      owner: sam,
      nextReviewOn: '2026-12-01',
    });
    for (const vendorId of [beta, gamma]) {
      await inTransaction(store.db, (tx) =>
        recordEvidence(tx, store.deps, dana, { vendorId, type: 'pentest', expiresOn: '2026-06-08' }),
      );
    }
    await runSweep(store.deps);
    await relay.drainOnce();
    expect(
      samsDms()
        .map((m) => m.template)
        .sort(),
    ).toEqual(['owner-digest', 'vendor-reminder']);
    const digest = [...sender.current.values()].find((m) => m.template === 'owner-digest' && m.target === sam.id);
    expect(digest?.reply.text).toContain('Gamma Labs');
    expect(digest?.reply.text).not.toContain('Beta Payroll');
  });
});
