import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/chat/command.ts';
import { runCli } from '../../src/cli/program.ts';
import { enqueue } from '../../src/core/messaging/outbox.ts';
import type { Pacer } from '../../src/delivery/pacing.ts';
import { Relay } from '../../src/delivery/relay.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTeamsNotifier } from '../../src/teams/notifier.ts';
import { TEST_AUDIT_KEY_HEX } from '../support/audit-key.ts';
import { startTeamsHarness, type TeamsHarness, teamsConfig } from '../support/bot-connector-harness.ts';
import { botAddedToTeam, CHANNEL, postActivity } from '../support/teams-requests.ts';

// A message for a Teams channel the bot has not been installed in yet waits (it is not dead at once),
// shows in `list --waiting` and in the log, and goes out as soon as the bot is added there: the
// install arrives over real HTTP, stores the conversation reference, and the relay sends the message.
// Past the policy's teamsInstallWaitDays it is dead like any undeliverable message.

const registry: Registry = { commands: [], actions: [], forms: [] };
const unpaced: Pacer = { schedule: (_method, _key, call) => call(), stop: async () => {} };
const DAY = 86_400_000;
const TARGET = `teams:conv:${CHANNEL}`;

let h: TeamsHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function bot(): TeamsHarness {
  if (!h) throw new Error('no bot running');
  return h;
}

const relayLog: string[] = [];

function relayFor(harness: TeamsHarness): Relay {
  relayLog.length = 0;
  return new Relay({
    db: harness.store.db,
    clock: harness.store.clock,
    senders: { teams: createTeamsNotifier({ config: teamsConfig(), db: harness.store.db, pacer: unpaced }) },
    render: async (row) => ({ visibility: 'in_channel', text: String(JSON.parse(row.data).text) }),
    installWaitMs: 7 * DAY,
    logger: pino({ level: 'info' }, { write: (line: string) => relayLog.push(line) }),
  });
}

async function queueCard(text: string): Promise<void> {
  const { store } = bot();
  await inTransaction(store.db, (tx) =>
    enqueue(tx, store.clock, { key: `card:${text}`, target: TARGET, template: 'text', data: { text } }),
  );
}

async function cli(...argv: string[]): Promise<string> {
  let out = '';
  const env = { DATABASE_URL: bot().store.path, LOG_LEVEL: 'silent', AUDIT_KEY: TEST_AUDIT_KEY_HEX };
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`), env });
  expect(code).toBe(0);
  return out;
}

async function metricsText(): Promise<string> {
  const metrics = await createMetrics(bot().store.db, bot().store.clock);
  let text = '';
  const res = { type: () => ({ send: (body: string) => (text = body) }) };
  await new Promise<void>((resolve, reject) => {
    metrics.serve({} as never, res as never, reject);
    setTimeout(function wait() {
      if (text) resolve();
      else setTimeout(wait, 5);
    }, 0);
  });
  return text;
}

const rows = () => bot().store.db.selectFrom('outbox').select(['id', 'status', 'attempts', 'last_error']).execute();

describe('Teams messages for a conversation the bot is not installed in yet', () => {
  it('wait, are listed, and go out in order once the bot is added there', async () => {
    h = await startTeamsHarness(registry);
    const relay = relayFor(bot());
    await queueCard('Finding #1 opened');
    await queueCard('Finding #2 opened');

    const first = await relay.drainOnce();
    expect(first).toMatchObject({ waiting: 1, dead: 0, sent: 0 });
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(bot().connector.calls).toEqual([]);
    expect(relayLog.join('\n')).toContain('message waits for the bot to be installed where it goes');
    const waiting = await cli('list', '--waiting');
    expect(waiting).toContain(TARGET);
    expect(waiting).toContain('has not been installed');
    expect(waiting).toContain('2 messages waiting for the bot to be installed');

    // Waiting for a person to install the app is not a stuck relay: the age alert does not count it.
    bot().store.clock.advance(30 * 60_000);
    const gauges = await metricsText();
    expect(gauges).toMatch(/^vendor_risk_outbox_waiting_for_install 2$/m);
    expect(gauges).toMatch(/^vendor_risk_outbox_oldest_pending_age_seconds 0$/m);

    // An hour after the first look it is looked at again, and still waits: not an attempt, not dead.
    bot().store.clock.advance(30 * 60_000);
    expect(await relay.drainOnce()).toMatchObject({ waiting: 1, dead: 0 });

    // Someone adds the app to the team: Teams says so, over HTTP, to /api/messages.
    expect((await postActivity(bot().botUrl, botAddedToTeam(bot().where))).status).toBe(200);
    expect(bot().logs.join('\n')).toContain('bot installed where messages were waiting');
    const after = await relay.drainOnce();
    expect(after).toMatchObject({ sent: 2, waiting: 0, dead: 0 });
    const said = (activity: unknown) => /Finding #\d opened/.exec(JSON.stringify(activity))?.[0];
    expect(
      bot()
        .connector.messages('send')
        .map((c) => [c.conversationId, said(c.activity)]),
    ).toEqual([
      [CHANNEL, 'Finding #1 opened'],
      [CHANNEL, 'Finding #2 opened'],
    ]);
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(await cli('list', '--waiting')).toContain('no messages waiting for the bot to be installed');
  });

  it('is dead after teamsInstallWaitDays, audited and listed by `list --dead`', async () => {
    h = await startTeamsHarness(registry);
    const relay = relayFor(bot());
    await queueCard('Finding #3 opened');
    expect(await relay.drainOnce()).toMatchObject({ waiting: 1 });
    for (let day = 1; day <= 7; day++) {
      bot().store.clock.advance(DAY);
      const summary = await relay.drainOnce();
      expect(summary.dead).toBe(day === 7 ? 1 : 0);
    }
    const [row] = await rows();
    expect(row?.status).toBe('dead');
    expect(row?.last_error).toContain('the bot was not installed there within 7 days');
    const audit = await bot().store.db.selectFrom('audit_log').select(['action', 'reason']).execute();
    expect(audit.map((a) => a.action)).toEqual(['outbox.dead']);
    const dead = await cli('list', '--dead');
    expect(dead).toContain(TARGET);
    expect(dead).toContain('1 message given up on (dead)');
    expect(bot().connector.calls).toEqual([]);
  });
});
