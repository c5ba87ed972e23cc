import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { digestReply, loadDigest, renderDigest } from '../../src/chat/views/digest.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, olive, openTestFinding } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The weekly digest: the sweep queues one row per findings channel carrying only the week; the view
// reads the store as of that Monday and says how the portfolio stands and what moved since last week.

const WEEK = '2026-06-08';
const LAST_WEEK = '2026-06-01';

describe('weekly digest', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTeamStore('2026-05-20T10:00:00.000Z');
  });
  afterEach(() => store.cleanup());

  async function portfolio() {
    const acme = await insertVendor(store, { name: 'Acme Health', tier: 'critical', nextReviewOn: '2026-05-01' });
    const beta = await insertVendor(store, { name: 'Beta Payroll', tier: 'medium', nextReviewOn: '2027-01-01' });
    const gamma = await insertVendor(store, { name: 'Gamma Analytics', tier: 'low', nextReviewOn: '2027-01-01' });
    const delta = await insertVendor(store, { name: 'Delta Imaging', tier: 'high', nextReviewOn: '2026-06-01' });
    await insertVendor(store, { name: 'Newco', tier: 'low', nextReviewOn: '2027-01-01' });
    const gone = await insertVendor(store, { name: 'Gone Ltd', tier: 'high', nextReviewOn: '2026-01-01' });
    await store.db.updateTable('vendors').set({ status: 'offboarded' }).where('id', '=', gone).execute();
    const snap = (vendor_id: number, taken_on: string, score: number, grade: string) => ({
      vendor_id,
      taken_on,
      score,
      grade,
    });
    await store.db
      .insertInto('posture_snapshots')
      .values([
        snap(acme, LAST_WEEK, 92, 'A'),
        snap(acme, WEEK, 75, 'C'),
        snap(beta, LAST_WEEK, 70, 'C'),
        snap(beta, WEEK, 85, 'B'),
        snap(gamma, LAST_WEEK, 100, 'A'),
        snap(gamma, '2026-06-05', 100, 'A'),
        snap(delta, WEEK, 55, 'F'),
        snap(acme, '2026-06-09', 10, 'F'), // after the digest day: not part of this digest
      ])
      .execute();
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: beta, type: 'soc2_type2', expiresOn: '2026-06-05' }),
    );
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: gamma, type: 'iso27001', expiresOn: '2026-06-20' }),
    );
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: acme, type: 'pentest', expiresOn: '2026-09-01' }),
    );
    await openTestFinding(store, acme, 'old', 'low'); // opened 2026-05-20: before last week
    store.clock.set('2026-06-03T10:00:00.000Z');
    await openTestFinding(store, acme, 'new:1', 'critical');
    await openTestFinding(store, delta, 'new:2', 'medium');
    const fixed = await openTestFinding(store, delta, 'new:3', 'high');
    await store.db
      .updateTable('findings')
      .set({ state: 'resolved', resolved_at: '2026-06-04T10:00:00.000Z' })
      .where('id', '=', fixed.id)
      .execute();
    return { acme, delta };
  }

  it('the sweep queues one digest per findings channel on Monday, carrying only the week', async () => {
    await store.db
      .insertInto('subscriptions')
      .values({
        channel: 'slack:CRISK',
        min_tier: 'high',
        created_by: 'slack:UDANA',
        created_at: '2026-05-20T10:00:00.000Z',
      })
      .execute();
    const report = await runSweep(store.deps, { now: new Date(`${WEEK}T09:10:00.000Z`) });
    const digests = await store.db.selectFrom('outbox').selectAll().where('template', '=', 'digest').execute();
    expect(digests.map((d) => [d.target, JSON.parse(d.data), d.late])).toEqual([
      ['slack:CFINDINGS', { weekOf: WEEK }, 0],
      ['slack:CRISK', { weekOf: WEEK }, 0],
    ]);
    expect(report.fired).toContainEqual({ key: `digest:${WEEK}`, late: false });
    const again = await runSweep(store.deps, { now: new Date('2026-06-10T09:10:00.000Z') });
    expect(again.messages.filter((m) => m.template === 'digest')).toEqual([]);
  });

  it('shows grades, overdue reviews, evidence, the riskiest vendors and what changed since last week', async () => {
    await portfolio();
    const data = await loadDigest(store.db, WEEK);
    expect(data.riskiest.map((v) => [v.name, v.grade, v.score, v.openFindings])).toEqual([
      ['Delta Imaging', 'F', 55, 1],
      ['Acme Health', 'C', 75, 2],
      ['Beta Payroll', 'B', 85, 0],
      ['Gamma Analytics', 'A', 100, 0],
    ]);
    const reply = digestReply(data, false);
    const text = (reply.blocks ?? [])
      .map((b) =>
        'text' in b ? b.text : 'fields' in b ? b.fields.map((f) => `${f.label}: ${f.value}`).join(', ') : '',
      )
      .join('\n');
    expect(text).toContain('Vendor risk digest: week of 2026-06-08');
    expect(text).toContain('across 5 vendors in service (1 not scored yet)');
    expect(text).toContain('Grade A: 1, Grade B: 1, Grade C: 1, Grade D: 0, Grade F: 1');
    expect(text).toContain('3 findings opened (1 critical, 1 high, 1 medium), 1 resolved');
    expect(text).toContain('⬇️ Grade fell: Acme Health A → C');
    expect(text).toContain('⬆️ Grade rose: Beta Payroll C → B');
    expect(text).toContain('1. **Delta Imaging** · grade F (55/100) · high tier · 1 open finding');
    expect(text).toContain('**Overdue reviews** (2)');
    // Most overdue first.
    expect(text).toMatch(
      /\*\*Acme Health\*\* · ⚠️ due 2026-05-01 \(38 days overdue\)[\s\S]*\*\*Delta Imaging\*\* · ⚠️ due 2026-06-01 \(7 days overdue\)/,
    );

    expect(text).toContain(`<@${olive.id}|${olive.id}>`);
    expect(text).toContain('**Evidence** (1 expired, 1 expiring within 30 days)');
    expect(text).toContain('SOC 2 Type II · **Beta Payroll** · ⚠️ expired 2026-06-05 (3 days ago)');
    expect(text).toContain('ISO 27001 · **Gamma Analytics** · expires 2026-06-20 (in 12 days)');
    expect(text).not.toContain('Gone Ltd');
    expect(reply.text).toContain('riskiest: Delta Imaging (F), Acme Health (C), Beta Payroll (B), Gamma Analytics (A)');
    expect(reply.text).not.toContain('late');
  });

  it('says when it is late, and renders through the notification contract', async () => {
    await portfolio();
    const row = { id: 1, template: 'digest', data: JSON.stringify({ weekOf: WEEK }) } as never;
    const reply = await renderDigest({
      deps: store.deps,
      data: { weekOf: WEEK },
      late: true,
      today: '2026-06-09',
      row,
    });
    expect(reply?.text).toContain('This reminder is late');
    // The relay's renderer finds the digest view by its template.
    const queued = await runSweep(store.deps, { now: new Date(`${WEEK}T09:10:00.000Z`) });
    const digestRow = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', queued.messages.find((m) => m.template === 'digest')?.key ?? '')
      .executeTakeFirstOrThrow();
    const relayed = await renderNotification(store.deps)(digestRow);
    expect(relayed?.blocks?.[0]).toEqual({ type: 'header', text: 'Vendor risk digest: week of 2026-06-08' });
    expect(reply?.blocks?.at(-1)).toEqual({
      type: 'context',
      text: expect.stringContaining('delayed while the bot was offline'),
    });
  });
});
