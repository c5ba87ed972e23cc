import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { startTeamsHarness, type TeamsHarness } from '../support/bot-connector-harness.ts';
import {
  describeTally,
  errorLines,
  fuzzCount,
  fuzzSeed,
  guardedSnapshot,
  inFlight,
  newTally,
  Rng,
  record,
} from '../support/fuzz.ts';
import { type SlackTargets, slackTargets } from '../support/fuzz-slack.ts';
import { TEAMS_ANALYST, TEAMS_KINDS, teamsActivity } from '../support/fuzz-teams.ts';
import { actionExecute, postActivity } from '../support/teams-requests.ts';

// Seeded fuzzing of POST /api/messages through the real teams-ai app (botbuilder's CloudAdapter) on
// loopback, against the demo portfolio: messages, Action.Execute clicks and submits, task module and
// other invokes, legacy submit messages. Nothing may answer 5xx, log an error, or change a record.

describe('fuzzing the Teams endpoint', () => {
  const seed = fuzzSeed();
  let teams: TeamsHarness;
  let targets: SlackTargets;

  beforeAll(async () => {
    teams = await startTeamsHarness(registry);
    await seedDemo(teams.store.deps, { intake: true });
    const at = teams.store.clock.now().toISOString();
    await teams.store.db
      .insertInto('role_grants')
      .values({
        principal: `teams:${TEAMS_ANALYST.aadObjectId}`,
        role: 'analyst',
        granted_by: 'cli:setup',
        granted_at: at,
      })
      .execute();
    targets = await slackTargets(teams.store.db);
  }, 60_000);
  afterAll(() => teams?.close());

  it('answers every malformed or unprivileged activity below 500, logs no error and changes nothing', async () => {
    const rng = new Rng(seed + 1);
    const count = fuzzCount(0.2);
    const before = await guardedSnapshot(teams.store.db);
    const tally = newTally();
    const started = Date.now();
    const jobs = Array.from({ length: count }, () => {
      const kind = rng.pick(TEAMS_KINDS);
      const activity = teamsActivity(rng, kind, targets, teams.connector.url);
      return async () => {
        const answer = await postActivity(teams.botUrl, activity).catch(() => ({ status: 0, body: '' }));
        record(tally, kind, answer.status, activity);
      };
    });
    await inFlight(jobs, 4);
    console.log(describeTally('Teams fuzz', seed, tally, Date.now() - started));

    expect(tally.failures, `FUZZ_SEED=${seed}`).toEqual([]);
    expect(errorLines(teams.logs), `FUZZ_SEED=${seed}`).toEqual([]);
    expect(await guardedSnapshot(teams.store.db), `FUZZ_SEED=${seed}`).toEqual(before);
  }, 120_000);

  it('notices a write: a well-formed click by the Teams analyst acknowledges a real finding', async () => {
    const open = await teams.store.db
      .selectFrom('findings')
      .select('id')
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    const before = await guardedSnapshot(teams.store.db);
    const click = actionExecute(
      { serviceUrl: teams.connector.url, from: TEAMS_ANALYST },
      { verb: 'finding.ack', data: { value: String(open.id) } },
      'card-1',
    );
    expect((await postActivity(teams.botUrl, click)).status).toBe(200);
    expect((await guardedSnapshot(teams.store.db)).audit_log).not.toBe(before.audit_log);
  });
});
