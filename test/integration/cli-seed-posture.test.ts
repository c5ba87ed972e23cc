import { writeFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FINDING_STATES } from '../../src/core/common/vocabulary.ts';
import { DEMO_APPROVALS_CHANNEL, DEMO_FINDINGS_CHANNEL } from '../../src/demo/routing.ts';
import { cliSandbox } from '../support/cli.ts';

describe('operator CLI: seed --demo, posture, list', () => {
  let cli: ReturnType<typeof cliSandbox>;
  beforeEach(() => {
    cli = cliSandbox();
  });
  afterEach(() => cli.cleanup());

  const query = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new SqliteDatabase(cli.env.DATABASE_URL, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const auditRows = () => query<{ n: number }>('select count(*) as n from audit_log')[0]!.n;

  it('seeds a portfolio with findings in every state, worked by the personas and audited', async () => {
    const seeded = await cli.run('seed', '--demo');
    expect(seeded.code).toBe(0);
    expect(seeded.out).toContain('seeded the demo portfolio: 25 vendors');

    const states = query<{ state: string }>('select distinct state from findings').map((r) => r.state);
    expect(states.sort()).toEqual([...FINDING_STATES].sort());
    const exposed = query<{ severity: string; state: string; title: string }>(
      "select f.severity, f.state, f.title from signals s join findings f on f.id = s.finding_id where s.kind = 'exposed_datastore'",
    );
    expect(exposed).toEqual([
      { severity: 'critical', state: 'open', title: expect.stringContaining('unauthenticated Elasticsearch') },
    ]);
    // The escalation was approved with a signature by the approver persona, not by the seeding operator.
    const signatures = query<{ signer_name: string; meaning: string }>('select signer_name, meaning from signatures');
    expect(signatures).toContainEqual({ signer_name: 'Morgan Lee', meaning: 'approval' });
    const actors = query<{ actor_name: string }>('select distinct actor_name from audit_log').map((r) => r.actor_name);
    expect(actors).toEqual(expect.arrayContaining(['Dana Reyes', 'Sam Patel', 'Priya Nair', 'Morgan Lee']));
    const [first] = query<{ action: string; actor_id: string }>('select action, actor_id from audit_log where seq = 1');
    expect(first).toEqual({ action: 'demo.seed', actor_id: expect.stringMatching(/^cli:/) });
    // Cards go to the demo channels (or to a person's DMs), nowhere else.
    const targets = query<{ target: string }>('select distinct target from outbox').map((r) => r.target);
    expect(targets).toEqual(expect.arrayContaining([DEMO_FINDINGS_CHANNEL, DEMO_APPROVALS_CHANNEL]));
    for (const t of targets) expect([DEMO_FINDINGS_CHANNEL, DEMO_APPROVALS_CHANNEL, ...personas]).toContain(t);
    // Two weeks of daily posture snapshots for every vendor on the review cadence (all but the offboarded
    // one and the one still in due diligence).
    const days = query<{ vendors: number; days: number }>(
      'select count(distinct vendor_id) as vendors, count(distinct taken_on) as days from posture_snapshots',
    );
    expect(days).toEqual([{ vendors: 23, days: 14 }]);
    // Every recorded time is in the past, in audit order.
    const times = query<{ at: string }>('select at from audit_log order by seq').map((r) => r.at);
    expect([...times].sort()).toEqual(times);
    expect(times.at(-1)! <= new Date().toISOString()).toBe(true);
    expect((await cli.run('audit', 'verify')).code).toBe(0);
  }, 120_000);

  it('shows a vendor posture with grade, score, drivers, evidence and open findings', async () => {
    await cli.run('seed', '--demo');
    const result = await cli.run('posture', 'northstar', 'trials', 'network');
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('Northstar Trials Network');
    // Each cause once, with where it comes from: 100 - 25 (the exposed datastore's finding) - 15 - 15 (the
    // missing DPA and pen test, both asked for by one finding) - 15 (the required BAA, expired, no finding yet).
    // The exposure was posted as a finding card, so the fall it caused opens no "posture fell" finding.
    expect(lines[1]).toBe('Grade F, score 30/100, residual risk critical');
    expect(lines).toContainEqual(expect.stringMatching(/^\s+-25\s+.*unauthenticated Elasticsearch.*\[finding #\d+\]/));
    const asked = lines.filter((l) =>
      /^\s+-15\s+Required evidence missing: (GDPR DPA|Penetration test) \[finding #\d+\]:/.test(l),
    );
    expect(asked).toHaveLength(2);
    // Both name the same finding.
    expect(new Set(asked.map((l) => /#(\d+)/.exec(l)![1])).size).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\s+-15\s+Required HIPAA BAA expired on \d{4}-\d{2}-\d{2} \[required-evidence policy\]/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^\s+MISSING\s+HIPAA BAA \(holds PHI\)$/));
    expect(result.out).not.toContain('posture fell');
    expect(lines).toContainEqual(expect.stringMatching(/^\s+HIPAA BAA\s+expired\s+expired \S+ \(10 days ago\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+#\d+\s+critical\s+Open\s+.*unauthenticated Elasticsearch/));
    expect(result.out).toMatch(/Reviews: last \d{4}-\d{2}-\d{2}; next due \d{4}-\d{2}-\d{2} \(in \d+ days\)/);

    const meridian = await cli.run('posture', 'Meridian Clinical Research');
    expect(meridian.out).toMatch(/#\d+\s+high\s+Escalation pending\s+\S+ \(past SLA\)/);
  });

  it('lists vendors as an aligned table, filtered by tier and overdue reviews', async () => {
    await cli.run('seed', '--demo');
    const all = await cli.run('list');
    const [header, ...rows] = all.out.trim().split('\n');
    expect(rows.at(-1)).toBe('25 vendors');
    const tierColumn = header!.indexOf('TIER');
    const gradeColumn = header!.indexOf('GRADE');
    for (const row of rows.slice(0, -1)) {
      expect(row.slice(tierColumn).split(' ')[0]).toMatch(/^(critical|high|medium|low)$/);
      expect(row.slice(gradeColumn)).toMatch(/^[A-F] +\d+ /);
    }
    const overdue = await cli.run('list', '--overdue', '--tier', 'high');
    const overdueRows = overdue.out.trim().split('\n').slice(1, -1);
    expect(overdueRows.length).toBeGreaterThan(1);
    const days = overdueRows.map((r) => Number(/(\d+) days?$/.exec(r)?.[1]));
    expect(days).toEqual([...days].sort((a, b) => b - a));
    for (const row of overdueRows) expect(row).toMatch(/ high +active /);
  });

  it('refuses to seed twice, resets only with --force, and never resets an inventory it did not create', async () => {
    await cli.run('seed', '--demo');
    const before = auditRows();
    const again = await cli.run('seed', '--demo');
    expect(again.code).toBe(2);
    expect(again.err.trim().split('\n')).toEqual([expect.stringContaining('already seeded')]);
    expect(auditRows()).toBe(before);

    expect((await cli.run('seed', '--demo', '--force')).code).toBe(0);
    expect(query<{ n: number }>('select count(*) as n from vendors')[0]!.n).toBe(25);
    expect((await cli.run('audit', 'verify')).out).toContain(`${before} rows verified`);

    const real = cliSandbox();
    try {
      const file = real.file('one.csv');
      writeFileSync(file, 'name,criticality\nAcme Labs,low\n');
      expect((await real.run('import', 'vendors', file)).code).toBe(0);
      const refused = await real.run('seed', '--demo', '--force');
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('inventory the demo did not create');
      expect((await real.run('list')).out).toContain('Acme Labs');
    } finally {
      real.cleanup();
    }
  });

  it('answers bad input with one line on stderr and exit code 2', async () => {
    await cli.run('seed', '--demo');
    for (const argv of [
      ['seed'],
      ['posture', 'Meridian Clinical Reserch'],
      ['list', '--tier', 'urgent'],
      ['posture'],
    ]) {
      const result = await cli.run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
    expect((await cli.run('posture', 'Meridian Clinical Reserch')).err).toContain(
      'Did you mean “Meridian Clinical Research”?',
    );
  });
});

const personas = ['slack:UDEMOANALYST', 'slack:UDEMOOWNER', 'slack:UDEMOAPPROVER', 'slack:UDEMOOWNER2'];
