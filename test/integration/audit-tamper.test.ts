import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mac } from '../../src/core/audit/key.ts';
import { hashAuditRow } from '../../src/core/audit/log.ts';
import type { AuditLogRow } from '../../src/store/tables.ts';
import { TEST_AUDIT_KEY } from '../support/audit-key.ts';
import { cliSandbox } from '../support/cli.ts';

// `audit verify` against every kind of tampering someone with write access to the database file can do:
// it must exit 1 and name what and where. The store is the demo portfolio (hundreds of rows, signed
// approvals), seeded once and copied for each test.

type Raw = SqliteDatabase.Database;

describe('audit verify detects tampering', () => {
  const template = cliSandbox();
  let cli: ReturnType<typeof cliSandbox>;
  let rows = 0;

  beforeAll(async () => {
    const seeded = await template.run('seed', '--demo');
    expect(seeded.code).toBe(0);
    const raw = new SqliteDatabase(template.env.DATABASE_URL);
    rows = (raw.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    raw.close();
  });
  afterAll(() => template.cleanup());

  beforeEach(async () => {
    cli = cliSandbox({ AUDIT_CHECKPOINT_FILE: '' });
    copyFileSync(template.env.DATABASE_URL, cli.env.DATABASE_URL);
    cli.env.AUDIT_CHECKPOINT_FILE = cli.file('checkpoints.jsonl');
    expect((await cli.run('audit', 'checkpoint')).code).toBe(0);
  });
  afterEach(() => cli.cleanup());

  const tamper = (work: (raw: Raw) => void) => {
    const raw = new SqliteDatabase(cli.env.DATABASE_URL);
    raw.exec('drop trigger if exists audit_log_no_update; drop trigger if exists audit_log_no_delete');
    raw.exec('drop trigger if exists approval_requests_no_update');
    work(raw);
    raw.close();
  };
  const expectBroken = async (where: string, what: RegExp) => {
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`BROKEN at ${where}`);
    expect(result.err).toMatch(what);
  };

  it('verifies the untouched demo store: rows, MACs, the checkpoint and the signatures', async () => {
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      `audit trail intact: ${rows} rows verified (${rows} with a MAC), 1 checkpoints matched`,
    );
    expect(result.out).toMatch(/[1-9]\d* e-signatures verified/);
    expect(result.err).toBe('');
  });

  it('detects an updated row', async () => {
    tamper((raw) => raw.prepare("update audit_log set reason = 'nothing to see' where seq = 7").run());
    await expectBroken('seq 7', /does not match its hash/);
  });

  it('detects a row deleted from the middle', async () => {
    tamper((raw) => raw.prepare('delete from audit_log where seq = 20').run());
    await expectBroken('seq 20', /row 20 is missing/);
  });

  it('detects the newest rows deleted, through the checkpoint', async () => {
    tamper((raw) => raw.prepare('delete from audit_log where seq > ?').run(rows - 10));
    await expectBroken(`seq ${rows - 9}`, new RegExp(`rows ${rows - 9} to ${rows} are missing`));
  });

  it('detects two rows swapped', async () => {
    tamper((raw) => {
      const a = raw.prepare('select * from audit_log where seq = 30').get() as AuditLogRow;
      const b = raw.prepare('select * from audit_log where seq = 31').get() as AuditLogRow;
      const put = raw.prepare(
        'update audit_log set at = ?, action = ?, after = ?, before = ?, reason = ?, hash = ?, prev_hash = ?, mac = ? where seq = ?',
      );
      put.run(b.at, b.action, b.after, b.before, b.reason, b.hash, b.prev_hash, b.mac, 30);
      put.run(a.at, a.action, a.after, a.before, a.reason, a.hash, a.prev_hash, a.mac, 31);
    });
    await expectBroken('seq 30', /link to the previous row is broken/);
  });

  it('detects a row inserted in the middle, later rows renumbered', async () => {
    tamper((raw) => {
      raw.prepare('update audit_log set seq = -seq - 1 where seq >= 40').run();
      raw.prepare('update audit_log set seq = -seq where seq < 0').run();
      const before = raw.prepare('select * from audit_log where seq = 39').get() as AuditLogRow;
      const row = { ...before, seq: 40, reason: 'backdated approval', prev_hash: before.hash };
      const hash = hashAuditRow(row);
      raw
        .prepare(`insert into audit_log (seq, at, actor_id, actor_name, action, entity_type, entity_id, before, after, reason, prev_hash, hash, mac)
        values (@seq, @at, @actor_id, @actor_name, @action, @entity_type, @entity_id, @before, @after, @reason, @prev_hash, @hash, @mac)`)
        .run({ ...row, hash, mac: before.mac });
    });
    await expectBroken('seq 40', /MAC does not match/);
  });

  it('detects a row inserted at the end with a correctly computed hash but no key', async () => {
    tamper((raw) => {
      const head = raw.prepare('select * from audit_log order by seq desc limit 1').get() as AuditLogRow;
      const row = {
        ...head,
        seq: head.seq + 1,
        at: head.at,
        action: 'vendor.delete',
        reason: 'cleanup',
        prev_hash: head.hash,
      };
      const hash = hashAuditRow(row);
      raw
        .prepare(`insert into audit_log (seq, at, actor_id, actor_name, action, entity_type, entity_id, before, after, reason, prev_hash, hash, mac)
        values (@seq, @at, @actor_id, @actor_name, @action, @entity_type, @entity_id, @before, @after, @reason, @prev_hash, @hash, @mac)`)
        .run({ ...row, hash, mac: 'f'.repeat(64) });
    });
    await expectBroken(`seq ${rows + 1}`, /MAC does not match/);
  });

  it('detects a full rewrite from one row on, with every later hash recomputed', async () => {
    tamper((raw) => {
      const all = raw.prepare('select * from audit_log where seq >= 5 order by seq').all() as AuditLogRow[];
      const put = raw.prepare('update audit_log set reason = ?, prev_hash = ?, hash = ? where seq = ?');
      let prev = (raw.prepare('select hash from audit_log where seq = 4').get() as { hash: string }).hash;
      for (const row of all) {
        const next = { ...row, reason: row.seq === 5 ? 'rewritten' : row.reason, prev_hash: prev };
        const hash = hashAuditRow(next);
        put.run(next.reason, prev, hash, row.seq);
        prev = hash;
      }
    });
    await expectBroken('seq 5', /MAC does not match/);
  });

  it('detects the MACs stripped after a rewrite', async () => {
    tamper((raw) => raw.prepare('update audit_log set mac = null').run());
    await expectBroken('seq 1', /has no MAC/);
  });

  it('detects a signed risk acceptance whose date was changed after signing', async () => {
    let id = 0;
    tamper((raw) => {
      const signed = raw
        .prepare(
          "select r.id from approval_requests r join signatures s on s.record_id = r.id where r.kind = 'risk_acceptance' and r.state = 'approved'",
        )
        .get() as { id: number };
      id = signed.id;
      raw.prepare("update approval_requests set action_until = '2099-12-31' where id = ?").run(id);
    });
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/BROKEN at signature #\d+ \(signature\): the record was altered after it was signed/);
    expect(id).toBeGreaterThan(0);
  });

  it('detects a signature whose record hash was rewritten to match the altered record', async () => {
    tamper((raw) => {
      raw.exec('drop trigger if exists signatures_no_update');
      const sig = raw.prepare("select * from signatures where meaning = 'approval' limit 1").get() as { id: number };
      raw.prepare("update signatures set record_hash = 'x' || substr(record_hash, 2) where id = ?").run(sig.id);
    });
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/BROKEN at signature #\d+/);
  });

  /** Rewrites rows from seq 12 on with a valid chain and MACs, row 12 dated `at`: what a clock set back writes. */
  const clockSetBack = (at: (row: AuditLogRow) => string) =>
    tamper((raw) => {
      const all = raw.prepare('select * from audit_log where seq >= 12 order by seq').all() as AuditLogRow[];
      const put = raw.prepare('update audit_log set at = ?, prev_hash = ?, hash = ?, mac = ? where seq = ?');
      let prev = (raw.prepare('select hash from audit_log where seq = 11').get() as { hash: string }).hash;
      for (const row of all) {
        const next = { ...row, at: row.seq === 12 ? at(row) : row.at, prev_hash: prev };
        const hash = hashAuditRow(next);
        put.run(next.at, prev, hash, mac(TEST_AUDIT_KEY, hash), row.seq);
        prev = hash;
      }
    });

  it('detects time running backwards, even in rows keyed with the right key', async () => {
    clockSetBack(() => '2001-01-01T00:00:00.000Z');
    await expectBroken('seq 12', /its time 2001-01-01T00:00:00.000Z is before the previous row's/);
  });

  it('tolerates a step back of a few seconds between replicas, with a warning', async () => {
    const raw = new SqliteDatabase(cli.env.DATABASE_URL, { readonly: true });
    const previous = (raw.prepare('select at from audit_log where seq = 11').get() as { at: string }).at;
    raw.close();
    clockSetBack(() => new Date(Date.parse(previous) - 2_000).toISOString());
    writeFileSync(cli.env.AUDIT_CHECKPOINT_FILE!, ''); // the rows were rewritten, so the checkpoint taken before no longer matches
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(0);
    expect(result.err).toContain('1 rows are dated up to 5 s before the row preceding them');
  });

  it('detects an edited checkpoint line', async () => {
    const file = cli.env.AUDIT_CHECKPOINT_FILE!;
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as { seq: number };
    writeFileSync(file, `${JSON.stringify({ ...line, seq: line.seq - 5 })}\n`);
    await expectBroken('checkpoint line 1', /MAC does not match/);
  });

  it('fails when the store is keyed but no key is configured, and warns what is not checked', async () => {
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(0);
    cli.env.AUDIT_KEY = '';
    const unkeyed = await cli.run('audit', 'verify');
    expect(unkeyed.code).toBe(1);
    expect(unkeyed.err).toMatch(/BROKEN at seq 1 \(key\): the row carries a MAC but no audit key is configured/);
  });
});
