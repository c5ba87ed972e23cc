import type { Registry } from '../../../src/chat/command.ts';
import { SLACK_TIERS } from '../../../src/delivery/limits.ts';
import { createSlackPacer, type Pacer } from '../../../src/delivery/pacing.ts';
import type { Sender } from '../../../src/delivery/sender.ts';
import { type SlackWebApi, startSlackWebApi } from '../../../src/playground/slack-web-api.ts';
import type { SlackApp } from '../../../src/slack/app.ts';
import { createSlackNotifier } from '../../../src/slack/notifier.ts';
import { PERSONAS, type Persona, type Place } from '../../scenarios/driver.ts';
import { PEOPLE } from '../../scenarios/personas.ts';
import { deliver, type ResponseUrlCatcher, type SlackRequest, startResponseUrlCatcher } from '../slack-requests.ts';
import { serveSlackApp } from '../slack-server.ts';
import { envelopeOf, SocketModeStandIn } from '../slack-socket-mode.ts';
import type { ScenarioStore } from './scenario-store.ts';

// Everything a Slack scenario runs against, started once per test file: the Web API stand-in (with
// the personas in its directory), a response_url listener, the Bolt app (over HTTP, or connected
// out over Socket Mode) and the relay's notifier. Rate limits are raised well above what a scenario sends, so scenarios never wait for pacing;
// pacing has its own tests.

export const SECRET = 'parity-signing-secret';
/** Where people type commands. */
export const COMMAND_CHANNEL = 'CRISK';
const FAST = 2_000;

export const slackUser = (persona: Persona) => `U${persona.toUpperCase()}`;
export const slackChannel = (name: string) => `C${name.toUpperCase()}`;
export const PLACES: Record<Place, string> = {
  findings: slackChannel('findings'),
  approvals: slackChannel('approvals'),
  security: slackChannel('security'),
};

export type SlackTransport = 'http' | 'socket-mode';

export interface SlackStack {
  api: SlackWebApi;
  responses: ResponseUrlCatcher;
  /** Hands a request to the app as Slack would: POSTed to its URL, or as an envelope on its socket. */
  deliver(request: SlackRequest): Promise<{ status: number; body: string }>;
  /** The Socket Mode side of Slack, when the app runs in Socket Mode. */
  socket: SocketModeStandIn | null;
  sender: Sender;
  /** Resolves once Bolt has finished every request it was handling (listeners included). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Bolt acknowledges a request before its listener runs, so the HTTP answer says nothing about when the
 * work is done. Counting the requests inside `processEvent` (which awaits the listeners) does.
 */
export function trackProcessing(slack: SlackApp): () => Promise<void> {
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const processEvent = slack.app.processEvent.bind(slack.app);
  slack.app.processEvent = async (event) => {
    inFlight += 1;
    try {
      return await processEvent(event);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) for (const wake of waiters.splice(0)) wake();
    }
  };
  return () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)));
}

const APP_TOKEN = 'xapp-stand-in-app-token';

export async function startSlackStack(
  registry: Registry,
  scenarios: ScenarioStore,
  transport: SlackTransport = 'http',
): Promise<SlackStack> {
  const socket = transport === 'socket-mode' ? await SocketModeStandIn.start() : null;
  const api = await startSlackWebApi({
    ...(socket ? { socketMode: { appToken: APP_TOKEN, url: () => socket.url() } } : {}),
    channels: [COMMAND_CHANNEL, ...Object.values(PLACES)],
    users: PERSONAS.map((p) => ({ id: slackUser(p), name: p, realName: PEOPLE[p].name, displayName: p })),
    postsPerSecondPerChannel: 50,
    tierPerMinute: { 1: FAST, 2: FAST, 3: FAST, 4: FAST },
  });
  const responses = await startResponseUrlCatcher();
  const server = await serveSlackApp({
    api,
    registry,
    deps: scenarios.deps,
    secret: SECRET,
    findingsChannel: PLACES.findings,
    approvalsChannel: PLACES.approvals,
    ...(socket ? { appToken: APP_TOKEN } : {}),
  });
  await socket?.connected();
  const idle = trackProcessing(server.app);
  const tiers = Object.fromEntries(
    Object.entries(SLACK_TIERS).map(([tier, limit]) => [
      tier,
      { ...limit, pacing: { bucket: { burst: FAST, refillMs: 250, refillAmount: FAST } } },
    ]),
  ) as unknown as typeof SLACK_TIERS;
  const pacer: Pacer = createSlackPacer({ postsPerSecondPerChannel: 50, tiers });
  return {
    api,
    responses,
    socket,
    deliver: socket
      ? async (request) => {
          const payload = await socket.send(envelopeOf(request));
          return { status: 200, body: payload === undefined ? '' : JSON.stringify(payload) };
        }
      : (request) => deliver(server.endpoint, request),
    sender: createSlackNotifier({ token: api.token, slackApiUrl: api.url, pacer }),
    idle,
    async close() {
      await server.close();
      await socket?.close();
      await pacer.stop();
      await responses.close();
      await api.close();
    },
  };
}

/** Forgets what the last scenario left in the stand-in: messages, ephemerals, the call log. */
export function clearWorkspace(api: SlackWebApi, responses: ResponseUrlCatcher): void {
  for (const channel of api.workspace.channels.values()) channel.messages.length = 0;
  api.workspace.ephemerals.length = 0;
  api.log.length = 0;
  responses.posts.length = 0;
}
