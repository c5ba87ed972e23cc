import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from '../chat/command.ts';
import { renderNotification } from '../chat/notifications/index.ts';
import type { Config, SlackConfig } from '../config.ts';
import { loadQuestionnaire } from '../core/assessments/questionnaire.ts';
import type { CoreDeps } from '../core/common/deps.ts';
import { slackTiersAt } from '../delivery/limits.ts';
import { createSlackPacer } from '../delivery/pacing.ts';
import { Relay } from '../delivery/relay.ts';
import { DEMO_ROUTING } from '../demo/routing.ts';
import { seedDemoSigningPins } from '../demo/signing-pins.ts';
import { signalsWebhook } from '../http/signals-webhook.ts';
import { createScheduler } from '../scheduler/scheduler.ts';
import type { SweepReport } from '../scheduler/sweep.ts';
import { createSlackApp } from '../slack/app.ts';
import { createSlackNotifier } from '../slack/notifier.ts';
import type { Db } from '../store/database.ts';
import { PlaygroundClock } from './clock.ts';
import { DeliveryProgress } from './delivery-progress.ts';
import { channelsOf, type Persona, type PlaygroundChannel } from './personas.ts';
import { SlackClient } from './slack-client.ts';
import { SlackWebApi } from './slack-web-api.ts';
import { loadWorkspace, saveWorkspace, seedMarker } from './workspace-file.ts';

// One playground run: a Slack workspace stand-in, the real Slack app (Bolt) pointed at it with a freshly
// generated signing secret and token, the real outbox relay and Slack notifier, and the real scheduler,
// all on the playground clock. A reset throws the session away and builds a new one.

export interface SessionOptions {
  config: Config;
  db: Db;
  registry: Registry;
  personas: Persona[];
  log: Logger;
  /** The bot's own /slack/events, where the Slack client sends what people do. */
  eventsUrl: string;
  /** How far ahead of real time the clock starts (a kept database resumes where it was). */
  offsetMs: number;
  /** Anything a person could see changed. */
  onChange: () => void;
  /** chat.postMessage per channel per second, for the stand-in and the relay's pacing alike; Slack's is 1. */
  postsPerSecondPerChannel: number;
  /** Calls per minute of every Web API tier, for the stand-in and the pacing alike; Slack's tiers unless set. */
  tierPerMinute?: number;
  /** Where the conversations are kept between runs. */
  chatFile: string;
}

const SAVE_AFTER_MS = 500;

export interface Session {
  /** Serves POST /slack/events for this session's Bolt app. */
  app: Express;
  api: SlackWebApi;
  client: SlackClient;
  clock: PlaygroundClock;
  deps: CoreDeps;
  personas: Persona[];
  channels: PlaygroundChannel[];
  /** How many of the queued messages have gone out, for the page's progress bar. */
  delivering: DeliveryProgress;
  runTriggers(): Promise<SweepReport>;
  stop(): Promise<void>;
}

export async function startSession(o: SessionOptions): Promise<Session> {
  const log = o.log;
  const clock = new PlaygroundClock(o.offsetMs);
  const deps: CoreDeps = {
    db: o.db,
    clock,
    policy: o.config.policy,
    routing: DEMO_ROUTING,
    timeZone: o.config.timeZone,
    questionnaire: loadQuestionnaire(),
    // Personas sign with their chat identity and a demo signing PIN, shown beside each persona.
    signatureMode: 'pin',
  };
  await seedDemoSigningPins(
    deps,
    o.personas.map((p) => ({ principal: p.principal, name: p.name })),
  );
  const seed = await seedMarker(o.db);
  let saveTimer: NodeJS.Timeout | null = null;
  const save = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    try {
      saveWorkspace(o.chatFile, seed, api.workspace);
    } catch (error) {
      log.warn(
        { err: error, file: o.chatFile },
        'could not keep the playground conversations; they start empty next run',
      );
    }
  };
  const changed = () => {
    o.onChange();
    saveTimer ??= setTimeout(save, SAVE_AFTER_MS);
  };
  const channelIds = [...DEMO_ROUTING.findingsChannels, ...DEMO_ROUTING.approvalsChannels].map((t) =>
    t.slice('slack:'.length),
  );
  const api = await new SlackWebApi({
    token: `xoxb-playground-${randomBytes(12).toString('hex')}`,
    channels: channelIds,
    users: o.personas.map((p) => ({ id: p.id, name: p.handle, realName: p.name, displayName: p.name, tz: 'UTC' })),
    now: () => clock.now().getTime(),
    onChange: changed,
    postsPerSecondPerChannel: o.postsPerSecondPerChannel,
    ...(o.tierPerMinute
      ? { tierPerMinute: { 1: o.tierPerMinute, 2: o.tierPerMinute, 3: o.tierPerMinute, 4: o.tierPerMinute } }
      : {}),
  }).listen();
  if (loadWorkspace(o.chatFile, seed, api.workspace)) log.info('playground conversations restored from the last run');
  const channels = channelsOf(o.personas, (user) => api.workspace.openDm(user));
  const slackConfig: SlackConfig = {
    botToken: api.token,
    signingSecret: randomBytes(24).toString('hex'),
    appToken: undefined,
    apiUrl: api.url,
    findingsChannel: channelIds[0],
    approvalsChannel: channelIds[1],
  };
  const app = express();
  const slack = createSlackApp({ config: slackConfig, registry: o.registry, deps, log, expressApp: app });
  await slack.start();

  const pacer = createSlackPacer({
    postsPerSecondPerChannel: o.postsPerSecondPerChannel,
    ...(o.tierPerMinute ? { tiers: slackTiersAt(o.tierPerMinute) } : {}),
  });
  const sender = createSlackNotifier({ token: api.token, slackApiUrl: api.url, pacer, logger: log });
  const relay = new Relay({
    db: o.db,
    clock,
    senders: { slack: sender },
    render: renderNotification(deps),
    logger: log,
    // The page shows how many queued messages went out: each recorded attempt changes that.
    observer: { attempted: changed },
  });
  const scheduler = createScheduler(deps, { log, onEnqueued: () => relay.nudge() });
  if (o.config.signalsWebhookSecret) {
    app.use(signalsWebhook(deps, { secret: o.config.signalsWebhookSecret, log, onCommitted: () => relay.nudge() }));
  }
  relay.start();
  scheduler.start();
  const client = new SlackClient({
    api,
    eventsUrl: o.eventsUrl,
    signingSecret: slackConfig.signingSecret,
    personas: o.personas,
    channels,
  });

  return {
    app,
    api,
    client,
    clock,
    deps,
    personas: o.personas,
    channels,
    delivering: new DeliveryProgress(),
    runTriggers: () => scheduler.sweepOnce(),
    async stop() {
      await scheduler.stop();
      await relay.stop();
      await pacer.stop();
      await slack.stop();
      await api.close();
      save();
    },
  };
}
