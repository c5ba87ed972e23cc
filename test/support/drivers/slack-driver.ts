import type { Registry } from '../../../src/chat/command.ts';
import type { CoreDeps } from '../../../src/core/common/deps.ts';
import type { StoredMessage } from '../../../src/playground/slack-web-api.ts';
import {
  type Answer,
  type ChatDriver,
  type FieldInput,
  type FormFacts,
  type Message,
  PERSONAS,
  type Persona,
  type Place,
} from '../../scenarios/driver.ts';
import { PEOPLE } from '../../scenarios/personas.ts';
import {
  blockActions,
  interaction,
  type SlackRequest,
  sign,
  slashCommand,
  viewClosed,
  viewSubmission,
} from '../slack-requests.ts';
import type { SocketModeStandIn } from '../slack-socket-mode.ts';
import { ScenarioStore } from './scenario-store.ts';
import { answerSeen, readAnswer, type Waiting } from './slack-answers.ts';
import { type SlackNames, slackFacts, slackText } from './slack-facts.ts';
import { filledIn, pressed, type SlackFormHandle, type SlackHandle, typedText } from './slack-inputs.ts';
import {
  COMMAND_CHANNEL,
  clearWorkspace,
  PLACES,
  SECRET,
  type SlackStack,
  type SlackTransport,
  slackUser,
  startSlackStack,
} from './slack-stack.ts';

// The scenarios' driver for Slack: signed slash commands, block actions and view submissions to the
// Bolt app over HTTP (or the same payloads as Socket Mode envelopes); answers read where Slack would show them (the response_url, a modal opened with
// views.open, an ephemeral or a DM through the Web API stand-in).

export class SlackDriver implements ChatDriver {
  readonly platform = 'slack' as const;
  readonly #scenarios = new ScenarioStore({
    findingsChannels: [`slack:${PLACES.findings}`],
    approvalsChannels: [`slack:${PLACES.approvals}`],
  });
  #stack: SlackStack | null = null;
  #last: { request: SlackRequest; persona: Persona } | null = null;
  #submissions = 0;

  static async start(registry: Registry, transport: SlackTransport = 'http'): Promise<SlackDriver> {
    const driver = new SlackDriver();
    driver.#stack = await startSlackStack(registry, driver.#scenarios, transport);
    return driver;
  }

  /** Slack's side of the Socket Mode connection, when the app runs in Socket Mode. */
  get socketMode(): SocketModeStandIn | null {
    return this.#s.socket;
  }

  get #s(): SlackStack {
    if (!this.#stack) throw new Error('the Slack driver is not started');
    return this.#stack;
  }

  readonly names: SlackNames = (id) => {
    const persona = PERSONAS.find((p) => slackUser(p) === id);
    if (persona) return PEOPLE[persona].name;
    return id.startsWith('C') ? id.slice(1).toLowerCase() : undefined;
  };

  async reset(): Promise<CoreDeps> {
    clearWorkspace(this.#s.api, this.#s.responses);
    this.#last = null;
    return this.#scenarios.next(() => ({ slack: this.#s.sender }));
  }

  principal(persona: Persona): string {
    return `slack:${slackUser(persona)}`;
  }

  target(place: Place): string {
    return `slack:${PLACES[place]}`;
  }

  async run(persona: Persona, text: string): Promise<Answer> {
    const typed = typedText(text);
    const responseUrl = this.#s.responses.url();
    const request = slashCommand(
      {
        text: typed,
        userId: slackUser(persona),
        userName: persona,
        channelId: COMMAND_CHANNEL,
        responseUrl,
        triggerId: this.#s.api.issueTrigger(slackUser(persona)),
      },
      { secret: SECRET },
    );
    return this.#answer(persona, request, { responseUrl, channel: COMMAND_CHANNEL });
  }

  async click(persona: Persona, message: Message, label: string): Promise<Answer> {
    const handle = message.handle as SlackHandle;
    const shown = { ...handle, ephemeral: handle.kind === 'reply' && handle.ephemeral };
    const press = pressed(shown.blocks, label);
    const responseUrl = this.#s.responses.url();
    const payload = blockActions({
      userId: slackUser(persona),
      userName: persona,
      channelId: shown.channel,
      actionId: press.actionId,
      value: press.value,
      overflowValue: press.overflowValue,
      blockId: press.blockId,
      responseUrl,
      messageTs: shown.ts,
      triggerId: this.#s.api.issueTrigger(slackUser(persona)),
      isEphemeral: shown.ephemeral,
      ...(shown.ephemeral ? {} : { message: { ts: shown.ts, text: shown.text, blocks: shown.blocks } }),
    });
    return this.#answer(persona, interaction(payload, { secret: SECRET }), { responseUrl, channel: shown.channel });
  }

  async submit(persona: Persona, form: FormFacts, values: Record<string, FieldInput>): Promise<Answer> {
    const { view } = form.handle as SlackFormHandle;
    const submission = viewSubmission(slackUser(persona), filledIn(view, values), persona);
    return this.#answer(persona, interaction(submission, { secret: SECRET }), { channel: null, view });
  }

  async closeForm(persona: Persona, form: FormFacts, values: Record<string, FieldInput>): Promise<void> {
    const { view } = form.handle as SlackFormHandle;
    const closed = viewClosed(slackUser(persona), filledIn(view, values), persona);
    this.#last = { request: interaction(closed, { secret: SECRET }), persona };
    const response = await this.#s.deliver(this.#last.request);
    if (response.status !== 200) throw new Error(`Slack view_closed answered ${response.status}`);
    await this.#s.idle();
  }

  async redeliverLast(): Promise<void> {
    const last = this.#last;
    if (!last) throw new Error('nothing was delivered yet');
    const retry = sign(last.request.body, last.request.headers['content-type'] ?? '', { secret: SECRET, retryNum: 1 });
    const answer = await this.#s.deliver(retry);
    if (answer.status !== 200) throw new Error(`Slack's retry was answered ${answer.status}`);
    await this.#s.idle();
  }

  drain(): Promise<void> {
    return this.#scenarios.drain();
  }

  async channelMessages(place: Place): Promise<Message[]> {
    await this.drain();
    return this.#s.api.messages(PLACES[place]).map((m) => this.#channelMessage(m));
  }

  async thread(message: Message): Promise<string[]> {
    const handle = message.handle as SlackHandle;
    if (handle.kind !== 'channel') return [];
    return this.#s.api.threadReplies(handle.channel, handle.ts).map((m) => slackText(m.text, this.names));
  }

  async dmsTo(persona: Persona): Promise<Message[]> {
    await this.drain();
    const dm = this.#s.api.dmChannel(slackUser(persona));
    return dm ? this.#s.api.messages(dm).map((m) => this.#channelMessage(m)) : [];
  }

  async close(): Promise<void> {
    await this.#scenarios.close();
    await this.#stack?.close();
    this.#stack = null;
  }

  #channelMessage(m: StoredMessage): Message {
    // The message as it was read: a click presses what the person was shown, even if it changed since.
    const handle: SlackHandle = { kind: 'channel', channel: m.channel, ts: m.ts, text: m.text, blocks: m.blocks ?? [] };
    return { ...slackFacts(m, this.names), id: m.ts, private: false, replaced: false, handle };
  }

  async #answer(persona: Persona, request: SlackRequest, waiting: Omit<Waiting, 'user' | 'since'>): Promise<Answer> {
    const since = this.#s.api.log.length;
    this.#last = { request, persona };
    const response = await this.#s.deliver(request);
    if (response.status !== 200) throw new Error(`Slack request answered ${response.status}: ${response.body}`);
    await this.#s.idle();
    const direct = readAnswer(response.body, waiting.view, this.names, () => `${++this.#submissions}`);
    if (direct) return direct;
    const answer = answerSeen(this.#s, { ...waiting, user: slackUser(persona), since }, this.names);
    if (!answer) throw new Error(`${persona} saw no answer to ${request.body.slice(0, 200)}`);
    return answer;
  }
}
