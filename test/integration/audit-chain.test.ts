import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../src/core/audit/log.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from '../support/store.ts';
import { tamper } from '../support/tamper.ts';

describe('audit log', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore();
    for (let i = 1; i <= 5; i++) {
      await inTransaction(store.db, (tx) =>
        appendAudit(tx, store.clock, {
          actor: { id: 'slack:U1', name: 'Dana Analyst' },
          action: 'vendor.update',
          entityType: 'vendor',
          entityId: i,
          before: { tier: 'low' },
          after: { tier: 'high' },
          reason: `change ${i}`,
        }),
      );
    }
  });
  afterEach(() => store.cleanup());

  it('verifies an untouched chain', async () => {
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 5 });
  });

  it('refuses updates and deletes through the application connection', async () => {
    await expect(store.db.updateTable('audit_log').set({ reason: 'rewritten' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('names the first altered row when someone drops the triggers and edits by raw SQL', async () => {
    await tamper(store, "update audit_log set reason = 'nothing to see' where seq = 3", {
      table: 'audit_log',
      op: 'update',
    });
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('names a deleted row', async () => {
    await tamper(store, 'delete from audit_log where seq = 4', { table: 'audit_log', op: 'delete' });
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });
});
