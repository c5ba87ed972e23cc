import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { registry } from '../commands/index.ts';
import { renderNotification } from './chat/notifications/index.ts';

import { type Config, ConfigError, loadConfig, routingFrom } from './config.ts';
import { loadQuestionnaire } from './core/assessments/questionnaire.ts';
import { SYSTEM_ACTOR } from './core/common/actor.ts';
import { type Clock, systemClock } from './core/common/clock.ts';
import type { CoreDeps } from './core/common/deps.ts';
import { pruneReceipts } from './core/messaging/inbound-receipts.ts';
import { grantRole } from './core/roles/permissions.ts';
import { connectSharedPacing, createSlackPacer, createTeamsPacer } from './delivery/pacing.ts';
import { Relay } from './delivery/relay.ts';
import type { Sender } from './delivery/sender.ts';
import { createProbePacer } from './exposure/pacing.ts';
import { createHttpApp, finishHttpApp, listen } from './http/server.ts';
import { signalsWebhook } from './http/signals-webhook.ts';
import { createLogger, type Logger } from './log.ts';
import { createExposureTrigger } from './scheduler/exposure-trigger.ts';
import { createLeaderLease, type LeaderLease } from './scheduler/leader-lease.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { createSlackApp } from './slack/app.ts';
import { createSlackNotifier } from './slack/notifier.ts';
import { inTransaction, openStore } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';
import { createTeamsApp } from './teams/app.ts';
import { createTeamsNotifier } from './teams/notifier.ts';

// The composition root: config -> store -> migrations -> adapters -> relay -> scheduler -> HTTP.
// Nothing else builds these pieces; tests start the whole bot through `startBot` with a Config.

export interface RunningBot {
  url: string;
  server: Server;
  deps: CoreDeps;
  relay: Relay;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Hostname to bind; all interfaces unless a test asks for loopback. */
  host?: string;
}

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const log = options.log ?? createLogger(config.logLevel);
  const store = await openStore(config.databaseUrl);
  const applied = await migrateToLatest(store.db);
  if (applied.length) log.info({ applied }, 'database migrated');
  const deps: CoreDeps = {
    db: store.db,
    clock: options.clock ?? systemClock,
    policy: config.policy,
    routing: routingFrom(config),
    timeZone: config.timeZone,
    questionnaire: loadQuestionnaire(),
  };
  await bootstrapAdmins(deps, config.admins, log);

  const http = createHttpApp(store.db, log);
  const shared = config.redisUrl ? connectSharedPacing(config.redisUrl) : undefined;
  const senders: Partial<Record<string, Sender>> = {};
  const slack = config.slack ? createSlackApp({ config: config.slack, registry, deps, log, expressApp: http }) : null;
  if (config.slack) {
    senders.slack = createSlackNotifier({
      token: config.slack.botToken,
      slackApiUrl: config.slack.apiUrl,
      logger: log,
      pacer: createSlackPacer({ shared }),
    });
  }
  if (config.teams) {
    createTeamsApp({ config: config.teams, deps, log, registry, expressApp: http });
    senders.teams = createTeamsNotifier({
      config: config.teams,
      db: store.db,
      logger: log,
      pacer: createTeamsPacer({ shared }),
    });
  }
  const relay = new Relay({
    db: store.db,
    clock: deps.clock,
    senders,
    render: renderNotification(deps),
    logger: log,
    leaseMs: config.outboxLeaseMs,
  });
  http.use(signalsWebhook(deps, { secret: config.signalsWebhookSecret, log, onCommitted: () => relay.nudge() }));
  finishHttpApp(http, log);

  await slack?.start();
  const pacer = createProbePacer();
  const exposure = createExposureTrigger(deps, {
    settings: { ...config.exposure, pacer },
    log,
    onRecorded: () => relay.nudge(),
  });
  const lease = createLeaderLease(store.db, deps.clock, { name: 'scheduler', holder: replicaId(), ttlMs: 3 * 60_000 });
  const scheduler = createScheduler(deps, {
    log,
    onEnqueued: () => relay.nudge(),
    leads: leadsUnlessAnotherReplicaDoes(lease, { pacingShared: Boolean(shared), log }),
    exposure,
  });
  const server = await listen(http, config.port, options.host);
  relay.start();
  scheduler.start();
  const pruner = setInterval(
    () => void pruneReceipts(store.db, new Date(deps.clock.now().getTime() - 86_400_000)),
    3_600_000,
  );
  pruner.unref();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  log.info({ url, slack: Boolean(config.slack), teams: Boolean(config.teams) }, 'vendor-risk bot is listening');

  return {
    url,
    server,
    deps,
    relay,
    stop: async () => {
      clearInterval(pruner);
      await scheduler.stop();
      await pacer.stop();
      await lease.release();
      await relay.stop();
      await slack?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await shared?.connection.disconnect();
      await store.close();
    },
  };
}

/** Names this process among the replicas sharing the store. */
function replicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * The scheduler sweeps while this replica holds the lease. Meeting another replica without shared
 * pacing is worth one loud line: together they would send at N times each channel's rate.
 */
function leadsUnlessAnotherReplicaDoes(
  lease: LeaderLease,
  options: { pacingShared: boolean; log: Logger },
): () => Promise<boolean> {
  let warned = false;
  return async () => {
    const outcome = await lease.acquire();
    if (!outcome.held && !options.pacingShared && !warned) {
      warned = true;
      options.log.warn(
        { otherReplica: outcome.holder },
        'another replica shares this database but rate limits are paced per process: set REDIS_URL on every replica',
      );
    }
    return outcome.held;
  };
}

/** BOT_ADMINS are granted admin once, audited as the bot itself; later changes go through `roles`. */
async function bootstrapAdmins(deps: CoreDeps, admins: string[], log: Logger): Promise<void> {
  for (const principal of admins) {
    const added = await inTransaction(deps.db, (tx) => grantRole(tx, deps.clock, SYSTEM_ACTOR, principal, 'admin'));
    if (added) log.info({ principal }, 'granted admin from BOT_ADMINS');
  }
}

/** `npm start`: the bot with whatever platforms are configured, or the local playground with none. */
export async function runFromEnvironment(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const running = config.slack || config.teams ? await startBot(config) : await startPlaygroundFor(config);
  const shutdown = async (signal: string) => {
    process.stderr.write(`\n${signal} received, shutting down\n`);
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

async function startPlaygroundFor(config: Config): Promise<{ stop(): Promise<void> }> {
  const { startPlayground } = await import('./playground/start.ts');
  return startPlayground(config);
}
