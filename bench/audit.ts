import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { mac } from '../src/core/audit/key.ts';
import { GENESIS_HASH, hashAuditRow } from '../src/core/audit/log.ts';
import { verifyAuditTrail } from '../src/core/audit/verify.ts';
import { canonicalJson } from '../src/core/common/canonical.ts';
import { openStore } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import type { AuditLogRow } from '../src/store/tables.ts';
import { type BenchSection, ms, ratio } from './measure.ts';

// `audit verify` on a clean store of 200,000 keyed rows: every row's link, hash and MAC, the time order,
// the signatures. The floor is the least any verifier must do: read the same rows from SQLite with raw
// better-sqlite3 and SHA-256 the same canonical bytes, in the same run. Target: under 2 s.

const ROWS = 200_000;
const RUNS = 3;

function fill(file: string, key: Buffer): void {
  const raw = new SqliteDatabase(file);
  const insert = raw.prepare(`insert into audit_log (seq, at, actor_id, actor_name, action, entity_type, entity_id,
    before, after, reason, prev_hash, hash, mac) values (@seq, @at, @actor_id, @actor_name, @action, @entity_type,
    @entity_id, @before, @after, @reason, @prev_hash, @hash, @mac)`);
  let prev = GENESIS_HASH;
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  raw.transaction(() => {
    for (let seq = 1; seq <= ROWS; seq++) {
      const row = {
        seq,
        at: new Date(start + seq * 60_000).toISOString(),
        actor_id: `slack:U${seq % 40}`,
        actor_name: `Person ${seq % 40}`,
        action: seq % 3 === 0 ? 'finding.acknowledge' : 'vendor.update',
        entity_type: seq % 3 === 0 ? 'finding' : 'vendor',
        entity_id: String(seq % 10_000),
        before: canonicalJson({ state: 'open', version: seq % 7 }),
        after: canonicalJson({ state: 'acknowledged', version: (seq % 7) + 1, owner: `slack:U${seq % 40}` }),
        reason: seq % 5 === 0 ? 'routine review' : null,
        prev_hash: prev,
      };
      const hash = hashAuditRow(row);
      insert.run({ ...row, hash, mac: mac(key, hash) });
      prev = hash;
    }
  })();
  raw.close();
}

/** Reads every row and hashes the bytes the chain covers: no link, MAC or time checks, no kysely. */
function floor(file: string): { wall: number; cpu: number } {
  const raw = new SqliteDatabase(file, { readonly: true });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let n = 0;
  for (const row of raw.prepare('select * from audit_log order by seq').iterate() as Iterable<AuditLogRow>) {
    hashAuditRow(row);
    n += 1;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  const used = cpuMs(process.cpuUsage(cpu));
  raw.close();
  if (n !== ROWS) throw new Error(`floor read ${n} rows`);
  return { wall: elapsed, cpu: used };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

export async function benchAudit(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-bench-audit-'));
  const file = join(dir, 'audit.db');
  const key = randomBytes(32);
  try {
    const store = await openStore(file);
    await migrateToLatest(store.db);
    await store.close();
    fill(file, key);
    const ours: number[] = [];
    const oursCpu: number[] = [];
    const floors: number[] = [];
    const floorsCpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const verifying = await openStore(file);
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const verdict = await verifyAuditTrail(verifying.db, { key });
      ours.push(Number(process.hrtime.bigint() - started) / 1e6);
      oursCpu.push(cpuMs(process.cpuUsage(cpu)));
      await verifying.close();
      if (!verdict.ok || verdict.keyedRows !== ROWS) throw new Error(`verify failed: ${JSON.stringify(verdict)}`);
      const f = floor(file);
      floors.push(f.wall);
      floorsCpu.push(f.cpu);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const oursMs = median(ours);
    const floorMs = median(floors);
    return {
      title: `audit verify: ${ROWS.toLocaleString('en')} keyed rows, clean store`,
      rows: [
        {
          what: 'verifyAuditTrail (rows, links, hashes, MACs, time, signatures)',
          'median ms': ms(oursMs),
          'floor ms': ms(floorMs),
          ratio: ratio(oursMs / floorMs),
          'CPU ms': ms(median(oursCpu)),
          'floor CPU ms': ms(median(floorsCpu)),
          'CPU ratio': ratio(median(oursCpu) / median(floorsCpu)),
          'target ms': 2000,
        },
      ],
      notes: [
        `median of ${RUNS} runs, each on a freshly opened store; floor: raw better-sqlite3 read of every row and SHA-256 of the same canonical bytes (hashAuditRow), run after each of ours`,
        'CPU ms is the process CPU time (user + system) over the same span: on a shared, loaded machine it shows the work done where wall time shows the waiting too',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
