import type { Registry } from '../../../src/chat/command.ts';
import type { CoreDeps } from '../../../src/core/common/deps.ts';
import type { Answer, ChatDriver, FieldInput, FormFacts, Message, Persona, Place } from '../../scenarios/driver.ts';
import { PERSONAS } from '../../scenarios/driver.ts';
import type { ConnectorCall } from '../bot-connector.ts';
import { type Activity, postActivity } from '../teams-requests.ts';
import { ScenarioStore } from './scenario-store.ts';
import { COMMAND_CHANNEL, installed, invoke, personalChat, teamsAccount, typed } from './teams-activities.ts';
import { answerFromCall, answerFromInvoke, draftData, formData, pickAction } from './teams-answers.ts';
import { type TeamsHandle, threadOf, topLevel } from './teams-conversations.ts';
import { PLACES, startTeamsStack, type TeamsStack } from './teams-stack.ts';

// The scenarios' driver for Teams: activities POSTed to /api/messages over HTTP as Teams sends them,
// answers read where a Teams user sees them (a reply in the conversation, the card or message in an
// invoke's response, a card edited for everyone), conversations rebuilt from the Bot Connector calls.

export class TeamsDriver implements ChatDriver {
  readonly platform = 'teams' as const;
  readonly #scenarios = new ScenarioStore({
    findingsChannels: [`teams:conv:${PLACES.findings}`],
    approvalsChannels: [`teams:conv:${PLACES.approvals}`],
  });
  #stack: TeamsStack | null = null;
  #last: Activity | null = null;
  /** Connector calls before this scenario; earlier ones belong to other scenarios. */
  #from = 0;

  static async start(registry: Registry): Promise<TeamsDriver> {
    const driver = new TeamsDriver();
    driver.#stack = await startTeamsStack(registry, driver.#scenarios);
    return driver;
  }

  get #s(): TeamsStack {
    if (!this.#stack) throw new Error('the Teams driver is not started');
    return this.#stack;
  }

  get #calls(): ConnectorCall[] {
    return this.#s.connector.calls.slice(this.#from);
  }

  async reset(): Promise<CoreDeps> {
    const deps = await this.#scenarios.next((store) => ({ teams: this.#s.sender(store) }));
    // A fresh hour for Teams' rate limits, and the bot installed for everyone and in the channels it
    // posts to by default. #security it learns of only when someone mentions it (subscribe #security).
    this.#s.tick(3_600_000);
    for (const persona of PERSONAS) await this.#post(installed(this.#s.connector.url, persona));
    for (const channel of [COMMAND_CHANNEL, PLACES.findings, PLACES.approvals]) {
      await this.#post(installed(this.#s.connector.url, 'ada', channel));
    }
    this.#from = this.#s.connector.calls.length;
    this.#last = null;
    return deps;
  }

  principal(persona: Persona): string {
    return `teams:${teamsAccount(persona).aadObjectId}`;
  }

  target(place: Place): string {
    return `teams:conv:${PLACES[place]}`;
  }

  async run(persona: Persona, text: string): Promise<Answer> {
    const activity = typed(this.#s.connector.url, persona, text);
    const before = this.#s.connector.calls.length;
    await this.#post(activity);
    const reply = this.#s.connector.calls
      .slice(before)
      .find((c) => c.kind === 'reply' && c.activityId === activity.id && c.activity.type === 'message');
    if (!reply) throw new Error(`the bot did not answer “${text}”`);
    const personal = (activity.conversation as { conversationType?: string }).conversationType === 'personal';
    return answerFromCall(this.#calls, reply, personal);
  }

  async click(persona: Persona, message: Message, label: string): Promise<Answer> {
    // The card as it was read: a click presses what the person was shown, even if it changed since.
    const handle = message.handle as TeamsHandle;
    return this.#invoke(persona, handle, pickAction(handle.card, label));
  }

  async submit(persona: Persona, form: FormFacts, values: Record<string, FieldInput>): Promise<Answer> {
    const handle = form.handle as TeamsHandle;
    return this.#invoke(
      persona,
      handle,
      formData(handle.card, values, (p) => teamsAccount(p).aadObjectId),
    );
  }

  async closeForm(persona: Persona, form: FormFacts, values: Record<string, FieldInput>): Promise<void> {
    const handle = form.handle as TeamsHandle;
    const saved = await this.#invoke(
      persona,
      handle,
      draftData(handle.card, values, (p) => teamsAccount(p).aadObjectId),
    );
    if (saved.kind !== 'message' || !saved.message.all.startsWith('Draft saved')) {
      throw new Error(`Save draft was answered ${JSON.stringify(saved)}`);
    }
  }

  async redeliverLast(): Promise<void> {
    if (!this.#last) throw new Error('nothing was delivered yet');
    await this.#post(this.#last);
  }

  drain(): Promise<void> {
    return this.#scenarios.drain(() => this.#s.tick(10_000));
  }

  async channelMessages(place: Place): Promise<Message[]> {
    await this.drain();
    return topLevel(this.#calls, PLACES[place]);
  }

  async thread(message: Message): Promise<string[]> {
    return threadOf(this.#calls, message.handle as TeamsHandle);
  }

  async dmsTo(persona: Persona): Promise<Message[]> {
    await this.drain();
    return topLevel(this.#calls, personalChat(persona)).map((m) => ({ ...m, private: true }));
  }

  async close(): Promise<void> {
    await this.#scenarios.close();
    await this.#stack?.close();
    this.#stack = null;
  }

  async #invoke(persona: Persona, handle: TeamsHandle, action: { verb: string; data: Record<string, unknown> }) {
    const activity = invoke(this.#s.connector.url, persona, handle.conversation, handle.id, action);
    const before = this.#s.connector.calls.length;
    const body = await this.#post(activity);
    return answerFromInvoke(this.#calls, this.#s.connector.calls.slice(before), activity, handle, body);
  }

  async #post(activity: Activity): Promise<unknown> {
    this.#last = activity;
    const answer = await postActivity(this.#s.botUrl, activity);
    if (answer.status !== 200)
      throw new Error(`Teams activity answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
