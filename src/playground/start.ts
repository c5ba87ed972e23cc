import type { AddressInfo } from 'node:net';
import type { Registry } from '../chat/command.ts';
import type { Config } from '../config.ts';
import { useAuditKey } from '../core/audit/key.ts';
import { systemClock } from '../core/common/clock.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { loadPortfolio } from '../demo/portfolio.ts';
import { demoState, resetDemoStore } from '../demo/reset.ts';
import { DEMO_ROUTING } from '../demo/routing.ts';
import { seedDemo } from '../demo/seed.ts';
import { createHttpApp, finishHttpApp, listen } from '../http/server.ts';
import { createConsoleLogger, type Logger } from '../log.ts';
import { type Db, openStore } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { playgroundAuditKey } from './audit-key.ts';
import { resumeOffset } from './clock.ts';
import { playgroundHostGuard } from './host-guard.ts';
import { Live } from './live.ts';
import { personasOf } from './personas.ts';
import { type Controller, playgroundRouter } from './routes.ts';
import { type Session, startSession } from './session.ts';
import { workspaceFileFor } from './workspace-file.ts';

// `npm start` without Slack or Teams credentials: the bot and a browser chat console that drives it the
// way Slack does, on the demo portfolio, in a database of its own that is kept between runs.

export const PLAYGROUND_DATABASE = './data/playground.db';

export interface PlaygroundOptions {
  /** The command registry; the bot's own by default. */
  registry?: Registry;
  log?: Logger;
  /** The playground's SQLite file; `./data/playground.db` by default. */
  databaseFile?: string;
  /** Interface to bind: loopback by default, since anyone who can open the page can act as anyone. */
  host?: string;
  /** Slack's pace of one post per channel per second, unless a test raises it. */
  postsPerSecondPerChannel?: number;
  /** Calls per minute for every other Web API method (chat.update, ...), unless a test raises it from Slack's tiers. */
  tierPerMinute?: number;
}

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

export async function startPlayground(config: Config, options: PlaygroundOptions = {}): Promise<RunningPlayground> {
  const log = options.log ?? (await createConsoleLogger(config.logLevel, config.logFormat));
  const registry = options.registry ?? (await import('../../commands/index.ts')).registry;
  const portfolio = loadPortfolio();
  const personas = personasOf(portfolio);
  const databaseFile = options.databaseFile ?? PLAYGROUND_DATABASE;
  const store = await openStore(databaseFile);
  await migrateToLatest(store.db);
  useAuditKey(config.audit.key ?? playgroundAuditKey(databaseFile));
  await ensureSeeded(store.db, config, log);

  const live = new Live();
  const http = createHttpApp(store.db, log);
  const host = options.host ?? '127.0.0.1';
  http.use(playgroundHostGuard(host));
  let session: Session | null = null;
  // Bolt's receiver belongs to a session; requests reach whichever session is current.
  http.use((req, res, next) => (session ? session.app(req, res, next) : next()));
  let eventsUrl = '';
  const begin = async (offsetMs: number) =>
    startSession({
      config,
      db: store.db,
      registry,
      personas,
      log,
      eventsUrl,
      offsetMs,
      onChange: () => live.changed(),
      postsPerSecondPerChannel: options.postsPerSecondPerChannel ?? 1,
      ...(options.tierPerMinute ? { tierPerMinute: options.tierPerMinute } : {}),
      chatFile: workspaceFileFor(databaseFile),
    });

  let resetting: Promise<void> | null = null;
  const controller: Controller = {
    session: () => {
      if (!session) throw new Error('the playground is between sessions');
      return session;
    },
    live,
    reset: () => {
      resetting ??= (async () => {
        const old = session;
        session = null;
        await old?.stop();
        await resetDemoStore(store.db);
        await ensureSeeded(store.db, config, log);
        session = await begin(0);
        live.changed();
        log.info('playground reset: the demo portfolio was seeded afresh');
      })().finally(() => {
        resetting = null;
      });
      return resetting;
    },
  };
  http.use(playgroundRouter(controller, log));
  finishHttpApp(http, log);

  const server = await listen(http, config.port, host);
  const port = (server.address() as AddressInfo).port;
  // The Slack client reaches the bot where the server listens; "all interfaces" includes loopback.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const bracketed = reachable.includes(':') ? `[${reachable}]` : reachable;
  eventsUrl = `http://${bracketed}:${port}/slack/events`;
  session = await begin(await resumeOffset(store.db));
  const url = `http://${reachable === '127.0.0.1' ? 'localhost' : bracketed}:${port}/`;
  log.info({ url }, 'playground ready: open it in a browser (no Slack or Teams credentials were configured)');
  if (log.level !== 'silent') {
    process.stdout.write(
      `\nVendor risk playground: ${url}\nNo Slack or Teams credentials are set, so the bot runs against a local chat console.\n\n`,
    );
  }

  return {
    url,
    async stop() {
      await resetting;
      await session?.stop();
      session = null;
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** Seeds the demo into an empty playground database; refuses one that holds anything else. */
async function ensureSeeded(db: Db, config: Config, log: Logger): Promise<void> {
  const state = await demoState(db);
  if (state === 'demo') return;
  if (state === 'other') {
    throw new Error('the playground database holds an inventory the demo did not create; point it at a new file');
  }
  const deps: CoreDeps = {
    db,
    clock: systemClock,
    policy: config.policy,
    routing: DEMO_ROUTING,
    timeZone: config.timeZone,
  };
  const summary = await seedDemo(deps, { intake: true });
  log.info({ vendors: summary.vendors, findings: summary.findings }, 'demo portfolio seeded into the playground');
}
