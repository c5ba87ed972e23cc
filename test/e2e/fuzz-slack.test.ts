import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { seedDemo } from '../../src/demo/seed.ts';
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
import { SLACK_KINDS, type SlackTargets, slackPayload, slackTargets, useResponseUrl } from '../support/fuzz-slack.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import { blockActions, deliver, interaction } from '../support/slack-requests.ts';
import { createTestStore } from '../support/store.ts';

// Seeded fuzzing of POST /slack/events through the real Bolt receiver on loopback, against the demo
// portfolio: every payload is validly signed, then malformed or sent by someone who may not act.
// Nothing may answer 5xx, log an error, or change a record. FUZZ_SEED replays a run; FUZZ_COUNT=10000
// runs the long version (this file takes its share of it).

const PEOPLE = [
  ['UDEMOANALYST', 'Dana Reyes'],
  ['UDEMOOWNER', 'Sam Patel'],
  ['UDEMOAPPROVER', 'Morgan Lee'],
  ['UDEMOVIEWER', 'Alex Kim'],
  ['UDEMOOWNER2', 'Priya Nair'],
  ['UDEMOADMIN', 'Jordan Blake'],
  // People with no role at all, whom the portfolio never mentions.
  ['UNOBODY', 'Nobody Known'],
  ['U0STRANGER', 'Stranger Danger'],
] as const;

describe('fuzzing the Slack endpoint', () => {
  const seed = fuzzSeed();
  const logs: string[] = [];
  let slack: SlackHarness;
  let targets: SlackTargets;

  beforeAll(async () => {
    const store = await createTestStore();
    await seedDemo(store.deps, { intake: true });
    slack = await startSlackHarness({
      registry,
      store,
      users: PEOPLE.map(([id, name]) => ({ id, name: name.toLowerCase(), realName: name, displayName: name })),
      channels: ['C1', 'C0FINDINGS', 'D0VIEWER'],
      // Hundreds of replies to the same few people: Slack's one post a second would drop most of them.
      postsPerSecondPerChannel: 100_000,
      log: pino({ level: 'warn' }, { write: (line: string) => logs.push(line) }),
    });
    targets = await slackTargets(store.db);
    useResponseUrl(slack.responses.url('fuzz'));
  }, 60_000);
  afterAll(() => slack?.close());

  it('answers every malformed or unprivileged payload below 500, logs no error and changes nothing', async () => {
    const rng = new Rng(seed);
    const count = fuzzCount(0.6);
    const before = await guardedSnapshot(slack.store.db);
    const tally = newTally();
    const started = Date.now();
    const jobs = Array.from({ length: count }, () => {
      const kind = rng.pick(SLACK_KINDS);
      const { request, payload } = slackPayload(rng, kind, targets, slack.sign);
      return async () => {
        const t0 = Date.now();
        const answer = await deliver(slack.endpoint, request).catch(() => ({ status: 0, body: '' }));
        if (process.env.FUZZ_DEBUG && Date.now() - t0 > 500)
          console.log('SLOW', kind, Date.now() - t0, answer.status, JSON.stringify(payload).slice(0, 300));
        record(tally, kind, answer.status, payload);
      };
    });
    await inFlight(jobs, 4);
    console.log(describeTally('Slack fuzz', seed, tally, Date.now() - started));

    expect(errorLines(logs), `FUZZ_SEED=${seed}`).toEqual([]);
    expect(tally.failures, `FUZZ_SEED=${seed}`).toEqual([]);
    expect(await guardedSnapshot(slack.store.db), `FUZZ_SEED=${seed}`).toEqual(before);
  }, 120_000);

  it('notices a write: a well-formed click by the analyst acknowledges a real finding', async () => {
    // The control for the test above: the same harness and snapshot do see a permitted change.
    const open = await slack.store.db
      .selectFrom('findings')
      .select('id')
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    const before = await guardedSnapshot(slack.store.db);
    const click = blockActions({
      userId: 'UDEMOANALYST',
      channelId: 'C1',
      actionId: 'finding.ack',
      value: String(open.id),
    });
    expect((await deliver(slack.endpoint, interaction(click, slack.sign))).status).toBe(200);
    await expect.poll(async () => (await guardedSnapshot(slack.store.db)).audit_log).not.toBe(before.audit_log);
  });
});
