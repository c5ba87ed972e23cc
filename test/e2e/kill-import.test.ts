import { writeFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import { openStore } from '../../src/store/database.ts';
import { cliSandbox } from '../support/cli.ts';
import { startKillChild } from '../support/kill-child.ts';

// Power loss in the middle of a large import: the process dies with SIGKILL while its transaction has
// written half the file, and part of that uncommitted work is already in the WAL file on disk.

const ROWS = 1200;
const FREEZE_AT = 700;

function bigSheet(): string {
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return `"Vendor ${n}, GmbH",Hosting for study ${n},PII,${i % 2 ? 'high' : 'medium'},slack:U${n},GDPR,2025-0${(i % 9) + 1}-15`;
  });
  return ['name,services,data_types,criticality,owner,regulatory_scope,last_review_on', ...rows].join('\n');
}

describe('kill -9 during a large import', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(() => {
    cli = cliSandbox();
  });
  afterEach(() => cli.cleanup());

  const counts = () => {
    const db = new SqliteDatabase(cli.env.DATABASE_URL, { readonly: true });
    try {
      return db
        .prepare('select (select count(*) from vendors) as vendors, (select count(*) from audit_log) as audit')
        .get() as { vendors: number; audit: number };
    } finally {
      db.close();
    }
  };

  it('leaves the import fully absent, the file intact and the audit chain verifying; a re-run completes', async () => {
    const small = cli.file('small.csv');
    writeFileSync(small, 'name,criticality\nEarlier Vendor A,low\nEarlier Vendor B,high\n');
    expect((await cli.run('import', 'vendors', small)).code).toBe(0);
    const before = counts();
    const big = cli.file('big.csv');
    writeFileSync(big, bigSheet());

    const child = startKillChild('kill-import.ts', [big, String(FREEZE_AT)], cli.env);
    const first = Number((await child.waitFor(/^wal at first insert (\d+)/))[1]);
    const atFreeze = Number((await child.waitFor(/^wal at freeze (\d+)/))[1]);
    await child.waitFor(/^frozen before vendor/);
    expect(await child.kill()).toBe('SIGKILL');
    // Uncommitted pages of the import reached the WAL file before the crash.
    expect(atFreeze).toBeGreaterThan(first);

    const raw = new SqliteDatabase(cli.env.DATABASE_URL);
    expect(raw.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    raw.close();
    const store = await openStore(cli.env.DATABASE_URL);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: before.audit });
    await store.close();
    expect(counts()).toEqual(before);

    const rerun = await cli.run('import', 'vendors', big);
    expect(rerun.out).toContain(`${ROWS} created, 0 updated, 0 unchanged`);
    expect(counts().vendors).toBe(before.vendors + ROWS);
    expect((await cli.run('audit', 'verify')).code).toBe(0);
  });
});
