import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { renderNotification } from './chat/notifications/index.ts';
import { type Config, ConfigError, complianceWarnings, loadConfig, routingFrom } from './config.ts';
import { loadQuestionnaire } from './core/assessments/questionnaire.ts';
import { useAuditKey } from './core/audit/key.ts';
import { SYSTEM_ACTOR } from './core/common/actor.ts';
import { type Clock, systemClock } from './core/common/clock.ts';
import type { CoreDeps } from './core/common/deps.ts';
import { loadPlaybooks } from './core/incidents/playbooks.ts';
import { pruneReceipts } from './core/messaging/inbound-receipts.ts';
import { grantRole } from './core/roles/permissions.ts';
import { connectSharedPacing, createSlackPacer, createTeamsPacer } from './delivery/pacing.ts';
import { Relay } from './delivery/relay.ts';
import type { Sender } from './delivery/sender.ts';
import { createProbePacer } from './exposure/pacing.ts';
import { createMetrics } from './http/metrics.ts';
import { cachedCheck, databaseCheck, type ReadinessCheck } from './http/readiness.ts';
import { createHttpApp, finishHttpApp, listen } from './http/server.ts';
import { signalsWebhook } from './http/signals-webhook.ts';
import { createConsoleLogger, type Logger } from './log.ts';
import { createExposureTrigger } from './scheduler/exposure-trigger.ts';
import { createLeaderLease, type LeaderLease } from './scheduler/leader-lease.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { describeStartupFailure } from './startup-failure.ts';
import { inTransaction, openStore } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';
import { isLoopbackHost } from './teams/anonymous-dev.ts';

// The composition root: config -> store -> migrations -> adapters -> relay -> scheduler -> HTTP.
// Nothing else builds these pieces; tests start the whole bot through `startBot` with a Config.
// The platform SDKs (Bolt, teams-ai/botbuilder) and prom-client are imported here, on demand, so a
// Slack-only bot never loads Teams' and a CLI call loads neither.

export interface RunningBot {
  url: string;
  server: Server;
  deps: CoreDeps;
  relay: Relay;
  /** Stops accepting, stops the scheduler, drains sends in flight (at most the shutdown grace), closes the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Hostname to bind; all interfaces unless a test asks for loopback. */
  host?: string;
}

/**
 * Where the bot listens: all interfaces unless told otherwise, except in Teams anonymous dev mode,
 * which authenticates nothing and so listens on loopback only, and refuses any other address.
 */
export function bindHost(config: Config, requested: string | undefined): string | undefined {
  if (!config.teams || config.teams.appId || !config.teams.allowAnonymousDev) return requested;
  if (requested === undefined) return '127.0.0.1';
  if (!isLoopbackHost(requested)) {
    throw new ConfigError([
      `TEAMS_ALLOW_ANONYMOUS_DEV=true listens on loopback only, not on ${requested}: it authenticates nothing`,
    ]);
  }
  return requested;
}

/** How long readiness trusts the last Slack auth.test: probes every few seconds must not become API calls. */
const SLACK_CHECK_TTL_MS = 60_000;

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const host = bindHost(config, options.host);
  const log = options.log ?? (await createConsoleLogger(config.logLevel, config.logFormat));
  const store = await openStore(config.databaseUrl);
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  try {
    const applied = await migrateToLatest(store.db);
    if (applied.length) log.info({ applied }, 'database migrated');
    useAuditKey(config.audit.key);
    for (const warning of complianceWarnings(config)) log.warn(warning);
    const deps: CoreDeps = {
      db: store.db,
      clock: options.clock ?? systemClock,
      policy: config.policy,
      routing: routingFrom(config),
      timeZone: config.timeZone,
      questionnaire: loadQuestionnaire(),
      signatureMode: config.signatureMode,
    };
    // A broken incident playbook stops the start with the exact problem, not halfway through an incident.
    loadPlaybooks();
    await bootstrapAdmins(deps, config.admins, log);

    const metrics = await createMetrics(store.db, deps.clock);
    const checks: ReadinessCheck[] = [databaseCheck(store.db)];
    const http = createHttpApp(store.db, log, { metrics, checks });
    const shared = config.redisUrl ? connectSharedPacing(config.redisUrl, config.redisKeyPrefix) : undefined;
    if (shared) cleanup.unshift(() => shared.connection.disconnect());
    const senders: Partial<Record<string, Sender>> = {};
    const { registry } = await import('../commands/index.ts');
    let slack: { start(): Promise<void>; stop(): Promise<void> } | null = null;
    if (config.slack) {
      const [{ createSlackApp }, { createSlackNotifier }] = await Promise.all([
        import('./slack/app.ts'),
        import('./slack/notifier.ts'),
      ]);
      const app = createSlackApp({ config: config.slack, registry, deps, log, expressApp: http });
      senders.slack = createSlackNotifier({
        token: config.slack.botToken,
        slackApiUrl: config.slack.apiUrl,
        logger: log,
        pacer: createSlackPacer({ shared }),
      });
      const token = cachedCheck('slack', () => app.checkToken(), { ttlMs: SLACK_CHECK_TTL_MS, clock: deps.clock });
      checks.push(token);
      // start() runs auth.test; its success is the first answer readiness gives.
      slack = {
        start: async () => {
          await app.start();
          token.record(null);
        },
        stop: () => app.stop(),
      };
    }
    if (config.teams) {
      const [{ createTeamsApp }, { createTeamsNotifier }] = await Promise.all([
        import('./teams/app.ts'),
        import('./teams/notifier.ts'),
      ]);
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
      observer: metrics.delivery,
      leaseMs: config.outboxLeaseMs,
      installWaitMs: config.policy.teamsInstallWaitDays * 86_400_000,
    });
    http.use(signalsWebhook(deps, { secret: config.signalsWebhookSecret, log, onCommitted: () => relay.nudge() }));
    finishHttpApp(http, log);

    await slack?.start();
    if (slack) cleanup.unshift(() => slack.stop());
    const server = await listen(http, config.port, host);
    cleanup.unshift(() => closeServer(server));
    const lease = createLeaderLease(store.db, deps.clock, {
      name: 'scheduler',
      holder: replicaId(),
      ttlMs: 3 * 60_000,
    });
    const pacer = createProbePacer();
    const exposure = createExposureTrigger(deps, {
      settings: { ...config.exposure, pacer },
      log,
      onRecorded: () => relay.nudge(),
    });
    const scheduler = createScheduler(deps, {
      log,
      onEnqueued: () => relay.nudge(),
      leads: leadsUnlessAnotherReplicaDoes(lease, { pacingShared: Boolean(shared), log }),
      exposure,
      checkpoint: { file: config.audit.checkpointFile, channels: config.audit.channels },
    });
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

    let stopping: Promise<void> | null = null;
    const stop = async () => {
      clearInterval(pruner);
      server.close();
      server.closeIdleConnections();
      await scheduler.stop();
      await pacer.stop();
      // Another replica may take the sweep over at once instead of after the lease runs out.
      await lease.release();
      const drained = await withinGrace(relay.stop(), config.shutdownGraceMs);
      if (!drained) {
        log.warn(
          { graceMs: config.shutdownGraceMs },
          'sends still in flight at the end of the shutdown grace; their leases expire and they are retried on the next start',
        );
      }
      await slack?.stop();
      server.closeAllConnections();
      await shared?.connection.disconnect();
      await store.close();
    };
    return { url, server, deps, relay, stop: () => (stopping ??= stop()) };
  } catch (error) {
    for (const undo of cleanup) await undo().catch(() => undefined);
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Resolves true when `work` finished within `ms`, false when the grace ran out first. */
async function withinGrace(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Names this process among the replicas sharing the store. */
function replicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * The scheduler sweeps while this replica holds the lease. Meeting another replica without shared
 * pacing is worth one loud line: together they would send at N times each channel's rate.
 */
export function leadsUnlessAnotherReplicaDoes(
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

/**
 * `npm start`: the bot with whatever platforms are configured, or the local playground with none.
 * A start that fails (bad config, Slack unreachable or refusing the token, port taken, database down)
 * is one line on stderr and exit code 1; SIGTERM and SIGINT stop it gracefully.
 */
export async function runFromEnvironment(): Promise<void> {
  let running: { stop(): Promise<void> };
  try {
    const config = loadConfig();
    running = config.slack || config.teams ? await startBot(config) : await startPlaygroundFor(config);
  } catch (error) {
    process.stderr.write(`vendor-risk could not start: ${describeStartupFailure(error)}\n`);
    process.exit(1);
  }
  const shutdown = async (signal: string) => {
    process.stderr.write(`${signal} received, shutting down\n`);
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
