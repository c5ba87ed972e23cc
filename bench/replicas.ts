import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { inChannel } from '../src/chat/reply.ts';
import { ManualClock, systemClock } from '../src/core/common/clock.ts';
import type { CoreDeps } from '../src/core/common/deps.ts';
import { enqueue } from '../src/core/messaging/outbox.ts';
import { DEFAULT_POLICY } from '../src/core/policy/policy.ts';
import { getPosture } from '../src/core/posture/posture.ts';
import { connectSharedPacing, createSlackPacer, type Pacer, type SharedPacing } from '../src/delivery/pacing.ts';
import { Relay } from '../src/delivery/relay.ts';
import { startSlackWebApi } from '../src/playground/slack-web-api.ts';
import { createSlackNotifier } from '../src/slack/notifier.ts';
import { inTransaction, openStore, type Store } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { type BenchSection, ms, timeCalls } from './measure.ts';
import { loadStoreData, NOW, TODAY, VENDORS } from './store-data.ts';

// Scale-out: 1, 2 and 3 replicas (each its own connection pool, relay and pacer, sharing one
// PostgreSQL and one Redis, as separate processes would; they run in one process here so the figure
// is the coordination's, not the machine's process count) drain one outbox against a Slack stand-in
// that enforces the per-channel limit strictly. More replicas cannot send faster than one channel's
// limit allows, and must not: the goal is the ceiling (>= 0.95 of it) with no 429 at every N.
// Then the posture lookup on the store benchmark's data set, on SQLite and on PostgreSQL side by side.
//
// PostgreSQL: BENCH_DATABASE_URL (default the local server's `test` database; a schema of its own is
// created and dropped). Redis: BENCH_REDIS_URL (default the local server; keys under a run's own prefix).

const CHANNELS = 20;
const PER_CHANNEL = 25;
const PER_SECOND = 4;
const GIVE_UP_MS = 180_000;
const POSTURE_CALLS = 2_000;

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A schema of this run's own on the PostgreSQL server, reached through `url`, dropped by `drop`. */
async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await admin(`create schema ${schema}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`drop schema ${schema} cascade`) };
}

interface Drain {
  replicas: number;
  elapsedMs: number;
  ceilingMs: number;
  rateLimited: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
}

/** One outbox drained by `n` replicas against the strict stand-in; a fresh schema and Redis prefix each time. */
async function drainWith(n: number): Promise<Drain> {
  const location = await postgresSchema();
  const channels = Array.from({ length: CHANNELS }, (_, i) => `CREPL${String(i).padStart(2, '0')}`);
  const slack = await startSlackWebApi({ channels, postsPerSecondPerChannel: PER_SECOND });
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const stores: Store[] = [];
  const pacers: Pacer[] = [];
  const shared: SharedPacing[] = [];
  const relays: Relay[] = [];
  try {
    const first = await openStore(location.url);
    stores.push(first);
    await migrateToLatest(first.db);
    const total = CHANNELS * PER_CHANNEL;
    await inTransaction(first.db, async (tx) => {
      for (let i = 0; i < total; i += 1) {
        const target = `slack:${channels[i % CHANNELS]}`;
        await enqueue(tx, systemClock, { key: `bench:${i}`, target, template: 'text', data: { text: `message ${i}` } });
      }
    });
    for (let r = 0; r < n; r += 1) {
      const store = r === 0 ? first : await openStore(location.url);
      if (r > 0) stores.push(store);
      const connection = connectSharedPacing(REDIS_URL, prefix);
      shared.push(connection);
      const pacer = createSlackPacer({ postsPerSecondPerChannel: PER_SECOND, shared: connection });
      pacers.push(pacer);
      relays.push(
        new Relay({
          db: store.db,
          clock: systemClock,
          senders: { slack: createSlackNotifier({ token: slack.token, slackApiUrl: slack.url, pacer }) },
          render: async (row) => inChannel((JSON.parse(row.data) as { text: string }).text),
          concurrency: CHANNELS * 2,
        }),
      );
    }

    const started = performance.now();
    for (const relay of relays) relay.start();
    const delivered = () => channels.reduce((sum, c) => sum + slack.messages(c).length, 0);
    while (delivered() < total && performance.now() - started < GIVE_UP_MS) await sleep(5);
    const elapsedMs = performance.now() - started;
    await Promise.all(relays.map((r) => r.stop()));

    const texts = channels.flatMap((c) => slack.messages(c).map((m) => m.text));
    const unique = new Set(texts);
    let outOfOrder = 0;
    for (const c of channels) {
      const order = slack.messages(c).map((m) => Number(m.text.split(' ')[1]));
      outOfOrder += order.filter((v, i) => i > 0 && v < order[i - 1]!).length;
    }
    return {
      replicas: n,
      elapsedMs,
      // The fastest drain the limit allows: each channel's first post at once, then one per interval.
      ceilingMs: ((PER_CHANNEL - 1) * 1000) / PER_SECOND,
      rateLimited: slack.calls('chat.postMessage').filter((c) => c.status === 429).length,
      lost: total - unique.size,
      duplicates: texts.length - unique.size,
      outOfOrder,
    };
  } finally {
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(pacers.map((p) => p.stop()));
    await Promise.all(shared.map((s) => s.connection.disconnect()));
    await slack.close();
    await Promise.all(stores.map((s) => s.close()));
    await location.drop();
  }
}

/**
 * The store benchmark's loader writes through better-sqlite3's prepare/run/transaction; this collects
 * the same rows and writes them to PostgreSQL as multi-row inserts, so both stores hold the same data.
 */
async function loadIntoPostgres(url: string): Promise<void> {
  const batches = new Map<string, unknown[][]>();
  const fake = {
    prepare: (text: string) => ({
      run: (...params: unknown[]) => {
        const rows = batches.get(text) ?? [];
        rows.push(params);
        batches.set(text, rows);
      },
    }),
    transaction: (work: () => void) => () => work(),
  } as unknown as SqliteDatabase.Database;
  loadStoreData(fake);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    for (const [text, rows] of batches) {
      const [head, tuple] = text.replace(/\s+/g, ' ').split(/ values /i) as [string, string];
      const perRow = rows[0]?.length ?? 0;
      const size = Math.max(1, Math.floor(60_000 / Math.max(1, perRow)));
      for (let start = 0; start < rows.length; start += size) {
        const chunk = rows.slice(start, start + size);
        let p = 0;
        const values = chunk.map(() => tuple.replace(/\?/g, () => `$${++p}`)).join(', ');
        await client.query(`${head} values ${values}`, chunk.flat());
      }
    }
    await client.query('commit');
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

async function postureP99(store: Store): Promise<{ p50: number; p99: number }> {
  const deps: CoreDeps = {
    db: store.db,
    clock: new ManualClock(NOW),
    policy: DEFAULT_POLICY,
    routing: { findingsChannels: [], approvalsChannels: [] },
    timeZone: 'UTC',
  };
  // Vendors spread over the whole id range, the same ones on both stores.
  const ids = Array.from({ length: 500 }, (_, i) => 1 + ((i * 7919) % VENDORS));
  const latency = await timeCalls((i) => getPosture(store.db, deps, ids[i % ids.length]!, TODAY), POSTURE_CALLS);
  return { p50: latency.p50, p99: latency.p99 };
}

async function postureBothStores(): Promise<{
  sqlite: { p50: number; p99: number };
  postgres: { p50: number; p99: number };
}> {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-bench-'));
  const location = await postgresSchema();
  try {
    const file = join(dir, 'bench.db');
    const lite = await openStore(file);
    await migrateToLatest(lite.db);
    await lite.close();
    const { default: Sqlite } = await import('better-sqlite3');
    const raw = new Sqlite(file);
    loadStoreData(raw);
    raw.close();
    const sqliteStore = await openStore(file);
    const sqlite = await postureP99(sqliteStore).finally(() => sqliteStore.close());

    const pgStore = await openStore(location.url);
    try {
      await migrateToLatest(pgStore.db);
      await loadIntoPostgres(location.url);
      const postgres = await postureP99(pgStore);
      return { sqlite, postgres };
    } finally {
      await pgStore.close();
    }
  } finally {
    await location.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchReplicas(): Promise<BenchSection[]> {
  const drains: Drain[] = [];
  for (const n of [1, 2, 3]) drains.push(await drainWith(n));
  const posture = await postureBothStores();
  return [
    {
      title: 'Replicas: one outbox drained by 1, 2 and 3 replicas sharing PostgreSQL and Redis',
      rows: drains.map((d) => ({
        replicas: d.replicas,
        'throughput / ceiling': (d.ceilingMs / d.elapsedMs).toFixed(3),
        'drain (ms)': Math.round(d.elapsedMs),
        'ceiling (ms)': Math.round(d.ceilingMs),
        '429s': d.rateLimited,
        lost: d.lost,
        duplicates: d.duplicates,
        'out of order': d.outOfOrder,
      })),
      notes: [
        `${CHANNELS * PER_CHANNEL} messages across ${CHANNELS} channels; the stand-in enforces ${PER_SECOND} posts per second per channel (Slack's is 1; raised so a run takes seconds) and the pacers share that limit through Redis.`,
        'Ceiling: the drain time the shared limit allows, (messages per channel - 1) intervals. Goal: >= 0.95 with 0 × 429 at every N; more replicas cannot and must not beat it.',
        'Replicas run in one process, each with its own connection pool, relay, pacer and Redis connection: all coordination goes through PostgreSQL and Redis as between processes.',
      ],
    },
    {
      title: 'Posture lookup (getPosture), SQLite and PostgreSQL side by side',
      rows: [
        { store: 'SQLite', 'p50 (ms)': ms(posture.sqlite.p50), 'p99 (ms)': ms(posture.sqlite.p99) },
        { store: 'PostgreSQL', 'p50 (ms)': ms(posture.postgres.p50), 'p99 (ms)': ms(posture.postgres.p99) },
      ],
      notes: [
        `The store benchmark's data set (${VENDORS.toLocaleString('en')} vendors, 100,000 findings, 200,000 audit rows) loaded into both; ${POSTURE_CALLS} lookups of 500 vendors spread over it, one at a time.`,
        'PostgreSQL on loopback: each lookup is several round trips, so its figure includes the network stack SQLite never touches.',
      ],
    },
  ];
}
