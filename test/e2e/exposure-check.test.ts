import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { createProbePacer } from '../../src/exposure/pacing.ts';
import { createExposureTrigger } from '../../src/scheduler/exposure-trigger.ts';
import { type RunningServer, startRedisWithPassword } from '../support/exposure-servers.ts';
import { closedPort, elasticsearchStandIn, mongodbStandIn, type StandIn } from '../support/exposure-stand-ins.ts';
import { createTeamStore, insertVendor } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The whole path an operator and the ticker take: declare assets (CLI), confirm authorisation, check,
// and see the result as a finding whose card is queued, against real servers on loopback (the machine's
// PostgreSQL with trust authentication and Redis without a password are the open ones).

let store: TestStore;
let env: Record<string, string>;

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env });
  return { code, out, err };
}

const findings = () => store.db.selectFrom('findings').selectAll().orderBy('id').execute();
const checks = () => store.db.selectFrom('exposure_checks').selectAll().orderBy('id').execute();

let protectedRedis: RunningServer;
beforeAll(async () => {
  protectedRedis = await startRedisWithPassword('x');
});
afterAll(async () => {
  await protectedRedis.stop();
});

const standIns: StandIn[] = [];
beforeEach(async () => {
  store = await createTeamStore(new Date().toISOString());
  await insertVendor(store, { name: 'Acme Health Cloud', tier: 'critical', channel: 'slack:CACME' });
  env = { DATABASE_URL: store.path, LOG_LEVEL: 'silent', EXPOSURE_ALLOW_PRIVATE: 'true', EXPOSURE_TIMEOUT_MS: '3000' };
});
afterEach(async () => {
  for (const s of standIns.splice(0)) await s.close();
  await store.cleanup();
});

describe('vendor-risk check', () => {
  it('open is a critical finding, protected passes, unreachable is "could not check"', async () => {
    const nothing = await closedPort();
    const add = async (target: string, kind: string) =>
      expect(
        (await cli('asset', 'add', 'Acme Health Cloud', target, kind, '--authorised-by', 'Dana Analyst')).code,
      ).toBe(0);
    await add('127.0.0.1:5432', 'postgresql');
    await add('127.0.0.1:6379', 'redis');
    await add(`127.0.0.1:${protectedRedis.port}`, 'redis');
    await add(`127.0.0.1:${nothing}`, 'mongodb');

    const run = await cli('check', 'Acme Health Cloud');
    expect(run.code).toBe(3);
    expect(run.out).toMatch(/127\.0\.0\.1:5432\s+postgresql\s+EXPOSED\s+critical: unauthenticated/);
    expect(run.out).toMatch(/127\.0\.0\.1:6379\s+redis\s+EXPOSED/);
    expect(run.out).toMatch(new RegExp(`127\\.0\\.0\\.1:${protectedRedis.port}\\s+redis\\s+pass`));
    expect(run.out).toMatch(new RegExp(`127\\.0\\.0\\.1:${nothing}\\s+mongodb\\s+could not check`));

    const opened = await findings();
    expect(opened.map((f) => [f.severity, f.source])).toEqual([
      ['critical', 'signal:exposed_datastore'],
      ['critical', 'signal:exposed_datastore'],
    ]);
    expect(opened.map((f) => f.title).sort()).toEqual([
      'Acme Health Cloud: unauthenticated PostgreSQL open to the internet at 127.0.0.1:5432',
      'Acme Health Cloud: unauthenticated Redis open to the internet at 127.0.0.1:6379',
    ]);
    expect(opened[0]?.detail).toMatch(
      /Ask Acme Health Cloud to take it off the internet or require authentication today/,
    );
    const cards = await store.db
      .selectFrom('outbox')
      .select(['template', 'target'])
      .where('template', '=', 'finding-card')
      .execute();
    expect(cards).toHaveLength(2);
    const signals = await store.db.selectFrom('signals').select(['source', 'kind']).execute();
    expect(signals).toEqual([
      { source: 'exposure-check', kind: 'exposed_datastore' },
      { source: 'exposure-check', kind: 'exposed_datastore' },
    ]);
    const kept = await checks();
    expect(kept.map((c) => c.outcome).sort()).toEqual(['could_not_check', 'exposed', 'exposed', 'passed']);
    expect(kept.every((c) => c.asked.length > 0 && c.answered.length > 0)).toBe(true);

    const posture = await cli('posture', 'Acme Health Cloud');
    expect(posture.out).toContain(
      'Exposure checks: last checked just now: 4 assets, 2 exposed, 1 could not be checked',
    );

    // Seen again: the same signals, no second finding or card.
    expect((await cli('check', 'Acme Health Cloud')).code).toBe(3);
    expect(await findings()).toHaveLength(2);
    expect(await store.db.selectFrom('signals').select('id').execute()).toHaveLength(2);
    expect(await checks()).toHaveLength(8);
  }, 60_000);

  it('when a later check passes, the finding says so and asks the analyst to verify the fix', async () => {
    const es = await elasticsearchStandIn(true);
    standIns.push(es);
    await cli(
      'asset',
      'add',
      'Acme Health Cloud',
      `127.0.0.1:${es.port}`,
      'elasticsearch',
      'search',
      'cluster',
      '--authorised-by',
      'Dana Analyst',
    );
    expect((await cli('check', 'Acme Health Cloud')).code).toBe(3);
    const [finding] = await findings();
    expect(finding?.title).toMatch(/unauthenticated Elasticsearch open to the internet/);

    es.setOpen(false);
    const fixed = await cli('check', 'Acme Health Cloud');
    expect(fixed.code).toBe(0);
    expect(fixed.out).toMatch(/pass/);
    const history = await store.db
      .selectFrom('outbox')
      .select('data')
      .where('template', '=', 'finding-history')
      .execute();
    expect(history.map((h) => JSON.parse(h.data).text)).toEqual([
      expect.stringMatching(
        /no longer finds this .*Verify the fix with Acme Health Cloud, then resolve this finding\./,
      ),
    ]);
    expect((await findings())[0]?.state).toBe('open');
    const audit = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'finding')
      .execute();
    expect(audit.map((a) => a.action)).toContain('finding.check_passed');

    // Open again before anyone resolved it: the same finding, told so in its thread, not a second one.
    es.setOpen(true);
    expect((await cli('check', 'Acme Health Cloud')).code).toBe(3);
    expect(await findings()).toHaveLength(1);
    const thread = await store.db
      .selectFrom('outbox')
      .select('data')
      .where('template', '=', 'finding-history')
      .execute();
    expect(JSON.parse(thread.at(-1)?.data ?? '{}').text).toMatch(/finds this again/);
  }, 60_000);

  it('never probes an undeclared, unauthorised or removed asset', async () => {
    const undeclared = await mongodbStandIn(true);
    const unauthorised = await mongodbStandIn(true);
    const removed = await mongodbStandIn(true);
    standIns.push(undeclared, unauthorised, removed);
    expect((await cli('asset', 'add', 'Acme Health Cloud', `127.0.0.1:${unauthorised.port}`, 'mongodb')).code).toBe(0);
    await cli(
      'asset',
      'add',
      'Acme Health Cloud',
      `127.0.0.1:${removed.port}`,
      'mongodb',
      '--authorised-by',
      'Dana Analyst',
    );
    expect((await cli('asset', 'remove', 'Acme Health Cloud', `127.0.0.1:${removed.port}`)).code).toBe(0);

    const run = await cli('check', 'Acme Health Cloud');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/not checked\s+waiting for an analyst to confirm the vendor authorised checks/);
    expect(undeclared.connections).toBe(0);
    expect(unauthorised.connections).toBe(0);
    expect(removed.connections).toBe(0);
    expect(await checks()).toEqual([]);

    // The scheduler's runner reads the same rule.
    const pacer = createProbePacer({ maxConcurrent: 2, perHostGapMs: 0 });
    const trigger = createExposureTrigger(store.deps, { settings: { allowPrivate: true, timeoutMs: 3000, pacer } });
    trigger.run();
    await trigger.idle();
    await pacer.stop();
    expect(undeclared.connections).toBe(0);
    expect(unauthorised.connections).toBe(0);
    expect(removed.connections).toBe(0);

    const listed = await cli('asset', 'list', 'Acme Health Cloud');
    expect(listed.out).toMatch(/mongodb\s+not authorised: not checked/);
    expect(listed.out).not.toContain(String(removed.port));
    expect(
      (
        await cli(
          'asset',
          'authorise',
          'Acme Health Cloud',
          `127.0.0.1:${unauthorised.port}`,
          '--authorised-by',
          'Dana Analyst',
        )
      ).code,
    ).toBe(0);
    expect((await cli('check', 'Acme Health Cloud')).code).toBe(3);
    expect(unauthorised.connections).toBe(1);
    expect(undeclared.connections).toBe(0);
  }, 60_000);

  it('refuses loopback targets unless EXPOSURE_ALLOW_PRIVATE is set', async () => {
    const es = await elasticsearchStandIn(true);
    standIns.push(es);
    env = { ...env, EXPOSURE_ALLOW_PRIVATE: 'false' };
    await cli(
      'asset',
      'add',
      'Acme Health Cloud',
      `127.0.0.1:${es.port}`,
      'elasticsearch',
      '--authorised-by',
      'Dana Analyst',
    );
    const run = await cli('check', 'Acme Health Cloud');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /could not check\s+127\.0\.0\.1 resolves to 127\.0\.0\.1, a private, loopback or link-local address/,
    );
    expect(es.connections).toBe(0);
    expect(await findings()).toEqual([]);
  });

  it('bad input exits 2 and changes nothing', async () => {
    expect((await cli('check', 'Nobody Inc')).code).toBe(2);
    expect((await cli('asset', 'add', 'Acme Health Cloud', 'files.acme.example')).code).toBe(0);
    expect((await cli('asset', 'add', 'Acme Health Cloud', 'db.acme.example:5432', 'oracle')).code).toBe(2);
    expect((await cli('asset', 'add', 'Acme Health Cloud', 'files.acme.example', '--authorised-by', 'Dana')).code).toBe(
      2,
    );
  });
});

describe('scheduled exposure checks', () => {
  it("check a critical vendor daily, at the asset's minute of the day, outside the sweep", async () => {
    const es = await elasticsearchStandIn(false);
    standIns.push(es);
    await cli(
      'asset',
      'add',
      'Acme Health Cloud',
      `127.0.0.1:${es.port}`,
      'elasticsearch',
      '--authorised-by',
      'Dana Analyst',
    );
    const pacer = createProbePacer({ maxConcurrent: 2, perHostGapMs: 0 });
    const recorded: number[] = [];
    const trigger = createExposureTrigger(store.deps, {
      settings: { allowPrivate: true, timeoutMs: 3000, pacer },
      onRecorded: (c) => recorded.push(c.length),
    });
    trigger.run();
    await trigger.idle();
    expect(await checks()).toHaveLength(1);
    expect(recorded).toEqual([1]);
    trigger.run();
    await trigger.idle();
    expect(await checks()).toHaveLength(1);
    store.clock.advance(2 * 86_400_000);
    trigger.run();
    await trigger.idle();
    await pacer.stop();
    expect((await checks()).map((c) => c.outcome)).toEqual(['passed', 'passed']);
  });
});
