import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { runSweep } from '../../src/scheduler/sweep.ts';
import { inTransaction } from '../../src/store/database.ts';
import { dana, grantRoles, insertVendor } from '../support/fixtures.ts';
import { createTestStore, onPostgres, type TestStore } from '../support/store.ts';

// One item of a sweep fails after its domain step was already audited (the expiry finding opened, then
// its card refused): the item rolls back to its savepoint, audit row included, and every item after it
// still chains onto the rows that remain. The next sweep fires the item, and the trail verifies.

let store: TestStore;
beforeEach(async () => {
  store = await createTestStore('2026-06-01T09:00:00.000Z');
  store.deps.policy = { ...store.deps.policy, requiredEvidence: [] };
  await grantRoles(store);
});
afterEach(() => store.cleanup());

/** Refuses the finding card of one vendor's findings, as a failing step late in an item's work would. */
async function refuseCardsOf(vendorId: number): Promise<void> {
  if (onPostgres) {
    await sql
      .raw(`create function refuse_card() returns trigger language plpgsql as $$ begin
        if new.template = 'finding-card'
          and (select vendor_id from findings where id = (new.data::json->>'findingId')::int) = ${vendorId}
        then raise exception 'card refused'; end if; return new; end $$`)
      .execute(store.db);
    await sql`create trigger refuse_card before insert on outbox for each row execute function refuse_card()`.execute(
      store.db,
    );
    return;
  }
  await sql
    .raw(`create trigger refuse_card before insert on outbox when new.template = 'finding-card'
      and (select vendor_id from findings where id = json_extract(new.data, '$.findingId')) = ${vendorId}
      begin select raise(abort, 'card refused'); end`)
    .execute(store.db);
}

async function allowCards(): Promise<void> {
  await sql`drop trigger refuse_card${sql.raw(onPostgres ? ' on outbox' : '')}`.execute(store.db);
  if (onPostgres) await sql`drop function refuse_card()`.execute(store.db);
}

it('a failed item takes its audit rows with it, and the items after it chain onto what remains', async () => {
  const names = ['Acme Health Cloud', 'Beta Payroll', 'Gamma Analytics'];
  const vendors: number[] = [];
  for (const name of names) vendors.push(await insertVendor(store, { name }));
  const [acme, beta, gamma] = vendors as [number, number, number];
  const documents: number[] = [];
  for (const vendorId of vendors) {
    const doc = await inTransaction(store.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId, type: 'soc2_type2', expiresOn: '2026-06-01' }),
    );
    documents.push(doc.evidence.id);
  }
  await refuseCardsOf(beta);

  const first = await runSweep(store.deps);
  expect(first.failed).toEqual([`evidence:${documents[1]}:expired`]);
  const fired = first.fired.map((f) => f.key);
  expect(fired).toContain(`evidence:${documents[0]}:expired`);
  expect(fired).toContain(`evidence:${documents[2]}:expired`);
  const opened = await store.db.selectFrom('findings').select('vendor_id').where('source', '=', 'evidence').execute();
  expect(opened.map((f) => f.vendor_id).sort()).toEqual([acme, gamma].sort());
  expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });

  await allowCards();
  store.clock.set('2026-06-01T10:00:00.000Z');
  const second = await runSweep(store.deps);
  expect(second.fired.map((f) => f.key)).toContain(`evidence:${documents[1]}:expired`);
  expect(second.failed).toEqual([]);
  const trail = await store.db
    .selectFrom('audit_log')
    .select('entity_id')
    .where('action', '=', 'finding.open')
    .execute();
  expect(trail).toHaveLength(3);
  expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
});
