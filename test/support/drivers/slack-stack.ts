import type { Registry } from '../../../src/chat/command.ts';
import { SLACK_TIERS } from '../../../src/delivery/limits.ts';
import { createSlackPacer, type Pacer } from '../../../src/delivery/pacing.ts';
import type { Sender } from '../../../src/delivery/sender.ts';
import { type SlackWebApi, startSlackWebApi } from '../../../src/playground/slack-web-api.ts';
import type { SlackApp } from '../../../src/slack/app.ts';
import { createSlackNotifier } from '../../../src/slack/notifier.ts';
import { PERSONAS, type Persona, type Place } from '../../scenarios/driver.ts';
import { PEOPLE } from '../../scenarios/personas.ts';
import { type ResponseUrlCatcher, startResponseUrlCatcher } from '../slack-requests.ts';
import { serveSlackApp } from '../slack-server.ts';
import type { ScenarioStore } from './scenario-store.ts';

// Everything a Slack scenario runs against, started once per test file: the Web API stand-in (with
// the personas in its directory), a response_url listener, the Bolt app over HTTP and the relay's
// notifier. Rate limits are raised well above what a scenario sends, so scenarios never wait for pacing;
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

export interface SlackStack {
  api: SlackWebApi;
  responses: ResponseUrlCatcher;
  endpoint: string;
  sender: Sender;
  /** Resolves once Bolt has finished every request it was handling (listeners included). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Bolt acknowledges a request before its listener runs, so the HTTP answer says nothing about when the
 * work is done. Counting the requests inside `processEvent` (which awaits the listeners) does.
 */
function trackProcessing(slack: SlackApp): () => Promise<void> {
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

export async function startSlackStack(registry: Registry, scenarios: ScenarioStore): Promise<SlackStack> {
  const api = await startSlackWebApi({
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
  });
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
    endpoint: server.endpoint,
    sender: createSlackNotifier({ token: api.token, slackApiUrl: api.url, pacer }),
    idle,
    async close() {
      await server.close();
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
