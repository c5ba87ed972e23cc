import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { cliSandbox } from '../support/cli.ts';
import { createTestStore } from '../support/store.ts';

describe('operator CLI: migrate, roles, audit verify, backup', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(() => {
    cli = cliSandbox();
  });
  afterEach(() => cli.cleanup());

  it('migrates once, then reports the schema is current', async () => {
    expect(await cli.run('migrate')).toMatchObject({
      code: 0,
      out: `applied: ${Object.keys(migrations).join(', ')}\n`,
    });
    expect(await cli.run('migrate')).toMatchObject({ code: 0, out: 'schema is up to date\n' });
  });

  it('grants, lists and revokes roles, each audited', async () => {
    expect((await cli.run('roles', 'grant', 'slack:U042APPROVER', 'approver')).code).toBe(0);
    const listed = await cli.run('roles', 'list');
    expect(listed.out).toContain('slack:U042APPROVER\tapprover');
    expect((await cli.run('roles', 'revoke', 'slack:U042APPROVER', 'approver')).out).toContain('revoked approver');
    expect((await cli.run('audit', 'verify')).out).toContain('2 rows verified');
  });

  it('refuses bad input with one line on stderr, exit code 2, and writes nothing', async () => {
    await cli.run('migrate');
    for (const argv of [
      ['roles', 'grant', 'U042', 'approver'],
      ['roles', 'grant', 'slack:U042', 'overlord'],
      ['no-such-verb'],
    ]) {
      const result = await cli.run(...argv);
      expect(result.code).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
    expect((await cli.run('roles', 'list')).out).toContain('no roles granted');
  });

  it('exits 1 and names the row when the audit chain was tampered with', async () => {
    await cli.run('roles', 'grant', 'slack:U1', 'analyst');
    await cli.run('roles', 'grant', 'slack:U2', 'approver');
    const raw = new SqliteDatabase(cli.env.DATABASE_URL);
    raw.exec('drop trigger audit_log_no_update');
    raw.prepare("update audit_log set actor_name = 'someone else' where seq = 2").run();
    raw.close();
    const result = await cli.run('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toContain('BROKEN at seq 2');
  });

  it('writes a verified backup and refuses to overwrite an existing file', async () => {
    await cli.run('roles', 'grant', 'slack:U1', 'admin');
    const target = cli.file('backup.db');
    const first = await cli.run('backup', target);
    expect(first.code).toBe(0);
    expect(first.out).toContain(
      'checked on the copy: integrity ok, audit chain ok (1 rows, 1 with a MAC, 0 e-signatures); vendors 0, findings 0, audit_log 1, signatures 0',
    );
    const copy = new SqliteDatabase(target, { readonly: true });
    expect(copy.prepare('select count(*) as n from role_grants').get()).toEqual({ n: 1 });
    copy.close();
    expect((await cli.run('backup', target)).code).toBe(2);
  });

  it('on PostgreSQL, says how to back it up instead (pg_dump) and exits 2', async () => {
    const store = await createTestStore(undefined, { on: 'postgres' });
    try {
      const pg = cliSandbox({ DATABASE_URL: store.path });
      const result = await pg.run('backup', pg.file('backup.dump'));
      pg.cleanup();
      expect(result.code).toBe(2);
      expect(result.err).toContain('pg_dump --format=custom');
      expect(result.err.trim().split('\n')).toHaveLength(1);
    } finally {
      await store.cleanup();
    }
  });
});
