import { readFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCheckpoints } from '../../src/core/audit/checkpoint.ts';
import { KEY_ADOPTED } from '../../src/core/audit/log.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { inTransaction } from '../../src/store/database.ts';
import { cliSandbox } from '../support/cli.ts';
import { createTestStore } from '../support/store.ts';

// The witness outside the database (checkpoints at every sweep, to a file and the audit channel), real
// time for sweeps that write, and a store that gets its audit key after rows were already written.

const SLACK = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'test-signing-secret',
  SLACK_AUDIT_CHANNEL: 'CAUDIT',
};

describe('audit checkpoints and real time', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(() => {
    cli = cliSandbox(SLACK);
    cli.env.AUDIT_CHECKPOINT_FILE = cli.file('checkpoints.jsonl');
  });
  afterEach(() => cli.cleanup());

  const query = <T>(sql: string): T[] => {
    const db = new SqliteDatabase(cli.env.DATABASE_URL, { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };

  it('a sweep appends the head to the checkpoint file and posts it to the audit channel, once per new head', async () => {
    await cli.run('roles', 'grant', 'slack:U1', 'analyst');
    const first = await cli.run('sweep');
    expect(first.code).toBe(0);
    expect(first.out).toContain('audit checkpoint at seq');
    const { checkpoints } = readCheckpoints(cli.env.AUDIT_CHECKPOINT_FILE!);
    const head = query<{ seq: number; hash: string }>('select seq, hash from audit_log order by seq desc limit 1')[0]!;
    expect(checkpoints).toEqual([expect.objectContaining({ seq: head.seq, hash: head.hash, mac: expect.any(String) })]);
    const posted = query<{ target: string; data: string }>(
      "select target, data from outbox where target = 'slack:CAUDIT'",
    );
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0]!.data).text).toContain(
      `Audit checkpoint: seq ${head.seq}, hash ${head.hash.slice(0, 16)}`,
    );

    expect((await cli.run('sweep')).out).not.toContain('audit checkpoint');
    expect(readFileSync(cli.env.AUDIT_CHECKPOINT_FILE!, 'utf8').trim().split('\n')).toHaveLength(1);
    await cli.run('roles', 'grant', 'slack:U2', 'approver');
    expect((await cli.run('sweep')).out).toContain('audit checkpoint at seq');
    expect(readCheckpoints(cli.env.AUDIT_CHECKPOINT_FILE!).checkpoints).toHaveLength(2);
    expect((await cli.run('audit', 'verify')).out).toContain('2 checkpoints matched');
  });

  it('refuses a real sweep dated in the future and writes nothing; a dry run may rehearse it', async () => {
    await cli.run('roles', 'grant', 'slack:U1', 'analyst');
    const count = () => query<{ n: number }>('select count(*) as n from audit_log')[0]!.n;
    const before = count();
    const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const refused = await cli.run('sweep', '--now', future);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is in the future; a real sweep is dated now. Add --dry-run');
    expect(count()).toBe(before);
    const rehearsed = await cli.run('sweep', '--now', future, '--dry-run');
    expect(rehearsed.code).toBe(0);
    expect(rehearsed.out).toContain('nothing was written (dry run)');
    expect(count()).toBe(before);
    const past = await cli.run('sweep', '--now', '2026-01-05T09:00:00Z');
    expect(past.code).toBe(0);
  });

  it('audit checkpoint without a file or channel says what to set', async () => {
    const bare = cliSandbox();
    try {
      await bare.run('roles', 'grant', 'slack:U1', 'analyst');
      const result = await bare.run('audit', 'checkpoint');
      expect(result.code).toBe(1);
      expect(result.err).toContain('set AUDIT_CHECKPOINT_FILE, SLACK_AUDIT_CHANNEL or TEAMS_AUDIT_CONVERSATION');
    } finally {
      bare.cleanup();
    }
  });

  it('a store keyed after rows were written unkeyed is vouched for by the first keyed row and verifies', async () => {
    cli.env.AUDIT_KEY = '';
    await cli.run('roles', 'grant', 'slack:U1', 'analyst');
    await cli.run('roles', 'grant', 'slack:U2', 'analyst');
    const unkeyed = await cli.run('audit', 'verify');
    expect(unkeyed.code).toBe(0);
    expect(unkeyed.err).toContain('warning: no audit key configured');
    cli.env.AUDIT_KEY = 'ab'.repeat(32);
    await cli.run('roles', 'grant', 'slack:U3', 'approver');
    expect(query<{ action: string }>('select action from audit_log where seq = 3')).toEqual([{ action: KEY_ADOPTED }]);
    const keyed = await cli.run('audit', 'verify');
    expect(keyed.code).toBe(0);
    expect(keyed.out).toContain('4 rows verified (2 with a MAC)');
  });

  it('refuses an audit key that is too short to be a secret', async () => {
    cli.env.AUDIT_KEY = 'secret';
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(2);
    expect(result.err).toContain('AUDIT_KEY must be at least 32 random bytes');
  });

  it("the bot's scheduler checkpoints after its sweep", async () => {
    const store = await createTestStore();
    try {
      const file = cli.file('bot-checkpoints.jsonl');
      await inTransaction(store.db, (tx) =>
        grantRole(tx, store.clock, { id: 'cli:ops', name: 'ops' }, 'slack:U9', 'admin'),
      );
      const scheduler = createScheduler(store.deps, { checkpoint: { file } });
      await scheduler.sweepOnce();
      await scheduler.stop();
      const head = await store.db
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(head.seq).toBeGreaterThan(1);
      expect(readCheckpoints(file).checkpoints).toEqual([expect.objectContaining(head)]);
    } finally {
      await store.cleanup();
    }
  });
});

describe('backup', () => {
  it('verifies the audit trail on the copy and refuses to call a tampered copy a backup', async () => {
    const cli = cliSandbox();
    try {
      await cli.run('roles', 'grant', 'slack:U1', 'analyst');
      await cli.run('roles', 'grant', 'slack:U2', 'approver');
      const raw = new SqliteDatabase(cli.env.DATABASE_URL);
      raw.exec('drop trigger audit_log_no_update');
      raw.prepare('update audit_log set mac = null where seq = 2').run();
      raw.close();
      const result = await cli.run('backup', cli.file('copy.db'));
      expect(result.code).toBe(1);
      expect(result.err).toContain('but its audit trail fails at seq 2: the row has no MAC');
    } finally {
      cli.cleanup();
    }
  });
});
