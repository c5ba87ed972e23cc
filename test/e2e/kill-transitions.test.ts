import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit/log.ts';
import { verifySignature } from '../../src/core/audit/signatures.ts';
import { openStore } from '../../src/store/database.ts';
import { cliSandbox } from '../support/cli.ts';
import { startKillChild } from '../support/kill-child.ts';

// A busy bot killed mid-decision: the child works findings through their lives, one transaction per
// step, and dies with SIGKILL inside an approval after the request was signed and the finding moved,
// before the last audit row was written. Each step is 8 audit rows per finding: 46 finishes five
// findings and the approval request of the sixth; 47 is inside the approval transaction.

const FREEZE_AT_AUDIT_ROW = 47;

describe('kill -9 during a loop of state changes', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(async () => {
    cli = cliSandbox();
    expect((await cli.run('seed', '--demo')).code).toBe(0);
  });
  afterEach(() => cli.cleanup());

  it('keeps every committed step, none of the interrupted one, and the audit trail in step with the rows', async () => {
    const child = startKillChild('kill-transitions.ts', [String(FREEZE_AT_AUDIT_ROW)], cli.env);
    await child.waitFor(/^frozen$/);
    expect(await child.kill()).toBe('SIGKILL');

    const raw = new SqliteDatabase(cli.env.DATABASE_URL);
    expect(raw.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const all = <T>(sql: string, ...params: unknown[]) => raw.prepare(sql).all(...params) as T[];

    // Every step the child saw commit is there, exactly as reported: durable, and nothing half-done.
    const reported = new Map<number, { version: number; state: string }>();
    for (const line of child.lines) {
      const m = /^committed (\d+) v(\d+) (\w+)$/.exec(line);
      if (m) reported.set(Number(m[1]), { version: Number(m[2]), state: m[3]! });
    }
    expect(reported.size).toBe(6);
    const findings = all<{ id: number; version: number; state: string }>(
      "select id, version, state from findings where dedupe_key like 'kill-test:%' order by id",
    );
    expect(new Map(findings.map((f) => [f.id, { version: f.version, state: f.state }]))).toEqual(reported);
    const interrupted = findings.at(-1)!;
    expect(interrupted).toMatchObject({ state: 'escalation_pending', version: 4 });
    const [pending] = all<{ id: number; state: string }>(
      'select id, state from approval_requests where finding_id = ?',
      interrupted.id,
    );
    expect(pending?.state).toBe('pending');
    expect(all('select id from signatures where record_id = ?', pending?.id)).toEqual([]);

    // The audit trail and the rows agree for every finding: its last audited version is its version,
    // and the card for that version is queued for delivery.
    for (const f of all<{ id: number; version: number }>('select id, version from findings')) {
      const versions = all<{ after: string }>(
        "select after from audit_log where entity_type = 'finding' and entity_id = ?",
        String(f.id),
      ).map((r) => (JSON.parse(r.after) as { version: number }).version);
      expect(Math.max(...versions), `finding ${f.id}`).toBe(f.version);
      const card = all('select id from outbox where idempotency_key like ?', `finding:${f.id}:v${f.version}:card:%`);
      expect(card.length, `card for finding ${f.id}`).toBeGreaterThan(0);
    }
    const approved = all<{ id: number }>("select id from signatures where meaning = 'approval'");
    raw.close();

    const store = await openStore(cli.env.DATABASE_URL);
    try {
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
      for (const { id } of approved) expect(await verifySignature(store.db, id)).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });
});
