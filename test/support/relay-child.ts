import { inChannel } from '../../src/chat/reply.ts';
import { systemClock } from '../../src/core/common/clock.ts';
import { createSlackPacer } from '../../src/delivery/pacing.ts';
import { Relay } from '../../src/delivery/relay.ts';
import { createSlackNotifier } from '../../src/slack/notifier.ts';
import { openStore } from '../../src/store/database.ts';

// A relay in a process of its own, for the crash test: it drains an existing database to the Slack
// stand-in until it is killed. Settings come from the environment the test passes in. It loads its
// code first and says `loaded`, then starts on a `go` line (so the test can have the next relay
// waiting while it kills the current one) and says `ready`.

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

process.stdout.write('loaded\n');
await new Promise<void>((resolve) => {
  process.stdin.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('go')) resolve();
  });
});

const store = await openStore(env('RELAY_CHILD_DATABASE'));
const rate = Number(env('RELAY_CHILD_POSTS_PER_SECOND'));
const sender = createSlackNotifier({
  token: env('RELAY_CHILD_TOKEN'),
  slackApiUrl: env('RELAY_CHILD_SLACK_URL'),
  pacer: createSlackPacer({ postsPerSecondPerChannel: rate }),
});
const relay = new Relay({
  db: store.db,
  clock: systemClock,
  senders: { slack: sender },
  render: async (row) => inChannel((JSON.parse(row.data) as { text: string }).text),
  leaseMs: Number(env('RELAY_CHILD_LEASE_MS')),
  pollMs: 20,
});
relay.start();
process.stdout.write('ready\n');

process.on('SIGTERM', () => {
  void relay
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
