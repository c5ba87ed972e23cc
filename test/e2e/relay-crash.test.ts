import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/core/messaging/outbox.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { inTransaction } from '../../src/store/database.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// The delivery guarantee under SIGKILL: a relay process is killed at random moments 20 times while
// 500 messages drain to the Slack stand-in (in this process). Afterwards every message has arrived,
// each channel's first copies are in order, and duplicates number at most one per kill. (Usually
// none: a relay that takes over an interrupted row first looks for the post its predecessor made.)

const CHILD = fileURLToPath(new URL('../support/relay-child.ts', import.meta.url));
const CHANNELS = Array.from({ length: 10 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`);
const MESSAGES = 500;
const KILLS = 20;
const RATE = 20; // posts per second per channel (Slack's is 1), so the test takes seconds
const LEASE_MS = 1_000;

let store: TestStore;
let slack: SlackWebApi;
let child: ChildProcess | null = null;
let standbyProc: ChildProcess | null = null;

beforeEach(async () => {
  store = await createTestStore();
  // Every restart looks for the posts its killed predecessor may have made (conversations.history, Tier 3,
  // 50 a minute on Slack); 20 restarts in a few seconds need more, which a real crash rate never would.
  slack = await startSlackWebApi({ channels: CHANNELS, postsPerSecondPerChannel: RATE, tierPerMinute: { 3: 1_000 } });
});

afterEach(async () => {
  child?.kill('SIGKILL');
  standbyProc?.kill('SIGKILL');
  await slack.close();
  await store.cleanup();
});

/** A relay process with its code loaded, waiting for `go`. */
interface Standby {
  proc: ChildProcess;
  loaded: Promise<void>;
  ready: Promise<void>;
}

function spawnRelay(): Standby {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      RELAY_CHILD_DATABASE: store.path,
      RELAY_CHILD_SLACK_URL: slack.url,
      RELAY_CHILD_TOKEN: slack.token,
      RELAY_CHILD_POSTS_PER_SECOND: String(RATE),
      RELAY_CHILD_LEASE_MS: String(LEASE_MS),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(word)) resolve();
      });
      proc.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`relay exited (${code}) before saying ${word}: ${errors}`));
      });
    });
  return { proc, loaded: said('loaded'), ready: said('ready') };
}

/** Starts the waiting relay and has the next one load meanwhile. */
async function go(standby: Standby): Promise<ChildProcess> {
  await standby.loaded;
  standby.proc.stdin?.write('go\n');
  await standby.ready;
  return standby.proc;
}

function killed(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.on('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pendingCount(): Promise<number> {
  const row = await store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '!=', 'sent')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('relay crash', () => {
  it('loses nothing and duplicates at most once per kill when killed 20 times mid-drain', async () => {
    const expected: Record<string, string[]> = Object.fromEntries(CHANNELS.map((c) => [c, []]));
    await inTransaction(store.db, async (tx) => {
      for (let i = 0; i < MESSAGES; i += 1) {
        const channel = CHANNELS[i % CHANNELS.length]!;
        const text = `message ${String(i).padStart(3, '0')}`;
        expected[channel]!.push(text);
        await enqueue(tx, store.clock, {
          key: `crash:${i}`,
          target: `slack:${channel}`,
          template: 'text',
          data: { text },
        });
      }
    });

    const pendingAtKill: number[] = [];
    let next = spawnRelay();
    for (let kill = 0; kill < KILLS; kill += 1) {
      child = await go(next);
      next = spawnRelay();
      standbyProc = next.proc;
      await sleep(Math.random() * 500);
      await killed(child);
      pendingAtKill.push(await pendingCount());
    }
    child = await go(next);
    standbyProc = null;
    for (let waited = 0; (await pendingCount()) > 0; waited += 100) {
      if (waited > 90_000) throw new Error('the outbox did not drain after the last restart');
      await sleep(100);
    }
    await killed(child);
    child = null;

    let duplicates = 0;
    for (const channel of CHANNELS) {
      const texts = slack.messages(channel).map((m) => m.text);
      const firstCopies = texts.filter((t, i) => texts.indexOf(t) === i);
      expect(firstCopies).toEqual(expected[channel]);
      duplicates += texts.length - firstCopies.length;
    }
    const lookups = slack.calls('conversations.history').length;
    console.log(
      `relay crash test: ${MESSAGES} messages, ${KILLS} kills (pending at each: ${pendingAtKill.join(' ')}), ` +
        `${lookups} interrupted rows checked, ${duplicates} duplicates`,
    );
    // Every kill landed while messages were still draining, and some with rows in flight.
    expect(pendingAtKill.every((n) => n > 0)).toBe(true);
    expect(lookups).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(KILLS);
  }, 120_000);
});
