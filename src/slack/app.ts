import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from '../chat/command.ts';
import type { SlackConfig } from '../config.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { BODY_LIMITS } from '../http/body-limits.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackEnv } from './context.ts';
import { PendingForms } from './form-pages.ts';
import { slackInboundGuard } from './inbound-guard.ts';
import { startInboxSweep } from './inbox.ts';
import { onAction } from './on-action.ts';
import { onCommand } from './on-command.ts';
import { onHomeOpened } from './on-home.ts';
import { onViewClosed, onViewSubmission } from './on-view.ts';
import { payloadCheckMiddleware } from './payload-check.ts';
import { slackPayloadGuard } from './payload-guard.ts';
import { RecentKeys } from './receipts.ts';
import { describeSlackError } from './slack-errors.ts';
import { slackStartupError } from './start-failure.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_COMMAND = '/vendor';
/** A click is re-run by another process once the one running it has held it this long (inbox.ts). */
const DEFAULT_INBOX_LEASE_MS = 60_000;

export interface SlackAppOptions {
  config: SlackConfig;
  registry: Registry;
  deps: CoreDeps;
  log: Logger;
  /**
   * HTTP mode mounts `POST /slack/events` on this app. Mount before any body parser: Bolt verifies
   * the signature over the raw bytes. Without one, the receiver makes its own (`receiver.app`).
   */
  expressApp?: Express;
  /** The slash command, `/vendor` unless the Slack app was set up with another name. */
  command?: string;
}

export interface SlackApp {
  app: App;
  /** The HTTP receiver; null in Socket Mode. */
  receiver: ExpressReceiver | null;
  /**
   * Checks the bot token (auth.test) and, in Socket Mode, connects. Call before serving requests.
   * Rejects with a StartupError saying what to fix (the token, or Slack out of reach).
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** auth.test again, for readiness: resolves while Slack accepts the token. */
  checkToken(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config } = options;
  const log = options.log.child({ platform: 'slack' });
  const logger = boltLogger(log);
  const socketMode = Boolean(config.appToken);
  const command = options.command ?? SLACK_COMMAND;
  // Commands, interactivity and events all arrive at one URL; Bolt checks each signature (401 if
  // it is missing, wrong or older than five minutes) before any listener runs.
  // The inbound guard (timestamp window both ways, body limit) is mounted first, so it runs before Bolt.
  const expressApp = socketMode ? null : (options.expressApp ?? express());
  expressApp?.use(SLACK_EVENTS_PATH, slackInboundGuard());
  // Then a validly signed but malformed payload is refused before Bolt routes it (payload-guard.ts).
  expressApp?.use(SLACK_EVENTS_PATH, slackPayloadGuard(config.signingSecret, command, log));
  const receiver = expressApp
    ? new ExpressReceiver({
        signingSecret: config.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        logger,
        processBeforeResponse: false,
        bodyLimit: BODY_LIMITS.slack,
        app: expressApp,
      })
    : null;
  // Socket Mode asks apps.connections.open for its WebSocket URL, through the same API base URL as
  // every other call (an enterprise proxy or GovSlack); Bolt's default receiver would ask slack.com.
  const socketReceiver =
    socketMode && config.appToken
      ? new SocketModeReceiver({
          appToken: config.appToken,
          logger,
          installerOptions: { clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {} },
        })
      : null;
  const app = new App({
    token: config.botToken,
    logger,
    // auth.test runs in start(), where a bad token is one clear error instead of a stray rejection.
    deferInitialization: true,
    convoStore: false,
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      // Direct answers are useless after a few seconds (trigger_ids last 3); the notifier owns
      // patient retries for everything sent later.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
      timeout: 10_000,
    },
    receiver: receiver ?? socketReceiver ?? undefined,
  });

  const env: SlackEnv = {
    registry: options.registry,
    deps: options.deps,
    log,
    forms: new PendingForms(options.deps.clock),
    commands: new RecentKeys(),
    names: new Map(),
    inboxLeaseMs: config.inboxLeaseMs ?? DEFAULT_INBOX_LEASE_MS,
  };
  // Socket Mode has no HTTP guard in front of Bolt: the same check runs as Bolt's first middleware.
  if (socketMode) app.use(payloadCheckMiddleware(log, command));
  onCommand(app, env, command);
  onAction(app, env);
  onViewSubmission(app, env);
  onViewClosed(app, env);
  onHomeOpened(app, env);
  let inbox: { stop(): Promise<void> } | null = null;
  app.error(async (error) => {
    // Bolt wraps what a listener threw; the original names the real failure.
    const original = (error as { original?: unknown }).original ?? error;
    const stack = original instanceof Error ? original.stack : undefined;
    log.error({ err: describeSlackError(original), stack }, 'Slack listener failed');
  });

  return {
    app,
    receiver,
    async start() {
      try {
        await app.init();
      } catch (error) {
        throw slackStartupError(error, 'SLACK_BOT_TOKEN', config.apiUrl);
      }
      // Clicks a killed process acknowledged but never finished: re-run now, then checked for regularly.
      inbox ??= startInboxSweep(env, app.client, Math.min(env.inboxLeaseMs, 15_000));
      if (!socketMode) return;
      try {
        await app.start();
      } catch (error) {
        throw slackStartupError(error, 'SLACK_APP_TOKEN', config.apiUrl);
      }
    },
    async checkToken() {
      await app.client.auth.test();
    },
    async stop() {
      await inbox?.stop();
      inbox = null;
      if (socketMode) await app.stop();
    },
  };
}
