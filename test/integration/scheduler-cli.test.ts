import { Command } from 'commander';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/io.ts';
import { registerSweep } from '../../src/cli/verbs/sweep.ts';
import { recordEvidence } from '../../src/core/evidence/record.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamStore, dana, insertVendor, sam } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// `vendor-risk sweep --now ... --dry-run` prints what a sweep would queue and writes nothing: the
// whole sweep runs in a transaction that is rolled back. Proven by counting every table's rows.

const NOW = '2026-06-01T09:30:00Z'; // a Monday, half an hour after the digest hour (UTC)

async function sweepCli(env: Record<string, string>, ...argv: string[]) {
  const program = new Command('vendor-risk').exitOverride();
  let out = '';
  registerSweep(program, { out: (t) => (out += `${t}\n`), err: () => undefined, env });
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(['sweep', ...argv], { from: 'user' });
    return { out, error: null };
  } catch (error) {
    return { out, error };
  }
}

/** Every table's row count, read the same way on SQLite and PostgreSQL. */
async function rowCounts(store: TestStore): Promise<Record<string, number>> {
  const tables = (await store.db.introspection.getTables()).map((t) => t.name).sort();
  const counts: Record<string, number> = {};
  for (const name of tables) {
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(name)}`.execute(store.db);
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}

describe('vendor-risk sweep', () => {
  let store: TestStore;
  let env: Record<string, string>;
  beforeEach(async () => {
    store = await createTeamStore('2026-05-20T10:00:00.000Z');
    env = {
      DATABASE_URL: store.path,
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_FINDINGS_CHANNEL: 'CFINDINGS',
      SLACK_APPROVALS_CHANNEL: 'CAPPROVALS',
    };
    await insertVendor(store, { name: 'Acme Health', nextReviewOn: '2026-06-01' });
    await insertVendor(store, { name: 'Beta Payroll', tier: 'medium', owner: sam, nextReviewOn: '2026-05-01' });
    const beta = await store.db
      .selectFrom('vendors')
      .select('id')
      .where('name', '=', 'Beta Payroll')
      .executeTakeFirstOrThrow();
    await inTransaction(store.deps.db, (tx) =>
      recordEvidence(tx, store.deps, dana, { vendorId: beta.id, type: 'pentest', expiresOn: '2026-06-08' }),
    );
    // The bot last swept when these were recorded and has been down since.
    await store.db
      .insertInto('scheduler_heartbeats')
      .values({ name: 'sweep', swept_at: '2026-05-20T10:00:00.000Z' })
      .execute();
  });
  afterEach(() => store.cleanup());

  it('--dry-run prints target, template and lateness of each message, and writes nothing', async () => {
    const before = await rowCounts(store);
    const dry = await sweepCli(env, '--now', NOW, '--dry-run');
    expect(dry.error).toBeNull();
    expect(await rowCounts(store)).toEqual(before);
    const lines = dry.out.trim().split('\n');
    expect(lines[0]).toBe(
      'dry run at 2026-06-01T09:30:00.000Z (2026-06-01 in UTC): 5 triggers fired, 11 messages would be queued (1 late), 2 posture snapshots',
    );
    expect(lines.slice(1)).toEqual([
      'target\ttemplate\tlate',
      // Beta's pen test expiring in a week is a heads-up: Sam's digest of the day. Beta's review is
      // overdue, so Beta gets its own reminder and the heads-up moves there: the digest is edited (and,
      // listing nothing else, never sent).
      'slack:USAM\towner-digest\ton time',
      'slack:USAM\towner-digest\ton time',
      // Beta's review is a month overdue: only the latest weekly reminder, late, and the escalation it
      // is owed (a finding for the overdue review, an approval card, the card edited with its history).
      'slack:USAM\tvendor-reminder\tlate',
      'slack:CFINDINGS\tfinding-card\ton time',
      'slack:CAPPROVALS\tapproval-card\ton time',
      'slack:CFINDINGS\tfinding-card\ton time',
      'slack:CFINDINGS\tfinding-history\ton time',
      'slack:UOLIVE\tvendor-reminder\ton time',
      // The posture sweep finds documents policy requires and nobody has recorded: one finding per vendor
      // listing them (Acme Health, critical and holding PHI: BAA, SOC 2 or ISO 27001, pen test; Beta Payroll: BAA).
      'slack:CFINDINGS\tfinding-card\ton time',
      'slack:CFINDINGS\tfinding-card\ton time',
      'slack:CFINDINGS\tdigest\ton time',
      'nothing was written (dry run)',
    ]);

    const real = await sweepCli(env, '--now', NOW);
    expect(real.error).toBeNull();
    // The real sweep queues exactly what the dry run listed.
    expect(real.out.trim().split('\n').slice(1)).toEqual(lines.slice(1, -1));
    const after = await rowCounts(store);
    expect(after.outbox).toBe((before.outbox ?? 0) + 11);
    expect(after.fired_triggers).toBe((before.fired_triggers ?? 0) + 5);
    expect((await sweepCli(env, '--now', NOW)).out).toContain('0 triggers fired, 0 messages queued');
  });

  it('refuses a --now that is not a time, changing nothing', async () => {
    const before = await rowCounts(store);
    const bad = await sweepCli(env, '--now', 'next tuesday');
    expect(bad.error).toBeInstanceOf(UsageError);
    expect((bad.error as Error).message).toContain('is not an ISO date-time');
    expect(await rowCounts(store)).toEqual(before);
  });
});
