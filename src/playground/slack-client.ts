import { SLACK_COMMAND } from '../slack/app.ts';
import { actionOf, type Choice, findElement, InteractionError, viewState } from './interactions.ts';
import type { Persona, PlaygroundChannel } from './personas.ts';
import { blockActions, viewClosed, viewSubmission } from './slack-payloads.ts';
import { appHomeOpened, deliver, interaction, type SlackRequest, slashCommand } from './slack-requests.ts';
import type { SlackWebApi } from './slack-web-api.ts';
import type { SlackUser } from './slack-web-api-types.ts';

// The playground's Slack client: what a person does in the browser becomes the signed request Slack
// would send to the bot's /slack/events, built from what the Web API stand-in holds (the message or
// view that was clicked, a trigger id it issued, a response_url it serves). Modal submissions are
// answered in the acknowledgement, so their response_action is applied here, as Slack's client does.

export type Sent = { ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string> };

/** Where a click happened: on a message (possibly an ephemeral one), or in a modal or the Home tab. */
export type ClickPlace = { channel: string; ts: string; ephemeral: boolean } | { view: string };

export interface SlackClientOptions {
  api: SlackWebApi;
  eventsUrl: string;
  signingSecret: string;
  personas: Persona[];
  channels: PlaygroundChannel[];
}

const escapeEntities = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `@dana` as a word of its own (not inside an address like a@b.c), without a trailing full stop. */
const MENTION = /(^|[\s(])@([a-z0-9](?:[\w.-]*[a-z0-9])?)/gi;

/**
 * With escaping on (the manifest's `should_escape`), Slack sends a mention of someone in the workspace
 * as their id, `<@U123|dana>`; a name nobody has stays as typed.
 */
export function escapeMentions(text: string, users: Iterable<SlackUser>): string {
  const byHandle = new Map([...users].filter((u) => !u.isBot).map((u) => [u.name.toLowerCase(), u]));
  return text.replace(MENTION, (whole, before: string, handle: string) => {
    const user = byHandle.get(handle.toLowerCase());
    return user ? `${before}<@${user.id}|${user.name}>` : whole;
  });
}

export class SlackClient {
  readonly #o: SlackClientOptions;

  constructor(options: SlackClientOptions) {
    this.#o = options;
  }

  /** What the person typed in a conversation's composer, e.g. `/vendor posture Helix EDC`. */
  async command(user: string, channelId: string, typed: string): Promise<Sent> {
    const persona = this.#persona(user);
    const channel = this.#channel(channelId, persona);
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(typed.trim());
    if (!match) return { ok: false, error: `Commands start with ${SLACK_COMMAND}, for example ${SLACK_COMMAND} help.` };
    const [, name = '', text = ''] = match;
    if (name !== SLACK_COMMAND)
      return { ok: false, error: `${name} is not a valid command. Try ${SLACK_COMMAND} help.` };
    const { api } = this.#o;
    // Slack escapes &, < and > in what was typed (the bot unescapes them) and sends mentions as ids.
    const request = slashCommand(
      {
        text: escapeMentions(escapeEntities(text), api.workspace.users.values()),
        command: name,
        userId: user,
        userName: persona.handle,
        channelId: channel.id,
        channelName: channel.kind === 'dm' ? 'directmessage' : channel.name,
        responseUrl: api.responseUrl({ user, channel: channel.id }),
        triggerId: api.issueTrigger(user),
      },
      this.#sign(),
    );
    return this.#send(request);
  }

  /** A button, overflow choice, menu or picker used on a message, in a modal or on the Home tab. */
  async click(user: string, place: ClickPlace, actionId: string, choice: Choice): Promise<Sent> {
    const persona = this.#persona(user);
    const { api } = this.#o;
    const common = { userId: user, userName: persona.handle, actionId, triggerId: api.issueTrigger(user) };
    if ('view' in place) {
      const open = [api.lastView(user), api.homeView(user)].find((v) => v?.id === place.view);
      if (!open) return { ok: false, error: 'That view is no longer open.' };
      const view = { ...open.view, id: open.id, hash: open.hash, team_id: api.workspace.team.id };
      const located = findElement(open.view.blocks, actionId);
      if (!located) return { ok: false, error: 'That control is no longer there.' };
      const action = actionOf(located, choice);
      return this.#send(interaction(blockActions({ ...common, view, action, blockId: located.blockId }), this.#sign()));
    }
    const channel = this.#channel(place.channel, persona);
    const message = place.ephemeral
      ? api.ephemerals(user).find((e) => e.messageTs === place.ts && e.channel === channel.id)
      : api.workspace.channels.get(channel.id)?.messages.find((m) => m.ts === place.ts);
    if (!message) return { ok: false, error: 'That message is gone.' };
    const located = findElement(message.blocks, actionId);
    if (!located) return { ok: false, error: 'That button is no longer on the message.' };
    const action = actionOf(located, choice);
    const click = blockActions({
      ...common,
      channelId: channel.id,
      messageTs: place.ts,
      isEphemeral: place.ephemeral,
      message: { ts: place.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) },
      action,
      blockId: located.blockId,
      responseUrl: api.responseUrl({
        user,
        channel: channel.id,
        message: { ts: place.ts, ephemeral: place.ephemeral },
        ...(message.threadTs ? { threadTs: message.threadTs } : {}),
      }),
    });
    return this.#send(interaction(click, this.#sign()));
  }

  /** Submits the modal on top of the person's stack and applies the bot's response_action. */
  async submit(user: string, viewId: string, entered: Record<string, Choice>): Promise<Sent> {
    const persona = this.#persona(user);
    const { api } = this.#o;
    const open = api.lastView(user);
    if (!open || open.id !== viewId) return { ok: false, error: 'That form is no longer open.' };
    const state = viewState(open.view, entered);
    if (Object.keys(state.missing).length > 0) {
      return { ok: false, error: 'Some required fields are empty.', fieldErrors: state.missing };
    }
    const payload = viewSubmission(user, this.#submitted(open, state.values), persona.handle);
    const answer = await this.#deliver(interaction(payload, this.#sign()));
    if (!answer.ok) return answer;
    const ack = answer.body.trim() ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
    if (ack.response_action === 'errors') {
      return { ok: false, error: 'The form needs corrections.', fieldErrors: ack.errors as Record<string, string> };
    }
    const applied = api.applySubmissionAck(user, viewId, ack);
    return applied.ok
      ? { ok: true }
      : { ok: false, error: `Slack could not show the bot's next view (${applied.error}).` };
  }

  /**
   * Cancel: the modal closes, and the bot hears of it when the view asked to be notified, with what was
   * entered so far in `view.state.values`, as Slack sends it (the bot keeps a draft from it).
   */
  async close(user: string, viewId: string, entered: Record<string, Choice> = {}): Promise<Sent> {
    const persona = this.#persona(user);
    const { api } = this.#o;
    const open = api.lastView(user);
    if (!open || open.id !== viewId) return { ok: true };
    if (open.view.notify_on_close !== true) {
      api.closeView(user, viewId);
      return { ok: true };
    }
    // Read before closing: a value that is not among the choices offered is refused and the modal stays.
    const state = viewState(open.view, entered);
    api.closeView(user, viewId);
    const payload = viewClosed(user, this.#submitted(open, state.values), persona.handle);
    return this.#send(interaction(payload, this.#sign()));
  }

  /** Opening the bot's Home tab. */
  async openHome(user: string): Promise<Sent> {
    this.#persona(user);
    const channelId = this.#o.api.workspace.openDm(user);
    return this.#send(appHomeOpened(user, { ...this.#sign(), channelId }));
  }

  #submitted(open: { id: string; hash: string; view: Record<string, unknown> }, values: Record<string, unknown>) {
    return {
      id: open.id,
      hash: open.hash,
      callbackId: String(open.view.callback_id ?? ''),
      privateMetadata: String(open.view.private_metadata ?? ''),
      values: values as Record<string, Record<string, Record<string, unknown>>>,
      opened: open.view,
    };
  }

  #sign() {
    return { secret: this.#o.signingSecret };
  }

  #persona(user: string): Persona {
    const persona = this.#o.personas.find((p) => p.id === user);
    if (!persona) throw new InteractionError(`${user} is not one of the personas`);
    return persona;
  }

  #channel(id: string, persona: Persona): PlaygroundChannel {
    const channel = this.#o.channels.find((c) => c.id === id);
    if (!channel) throw new InteractionError('There is no such conversation.');
    if (channel.kind === 'dm' && channel.persona !== persona.id) {
      throw new InteractionError(`This is another person's conversation with the bot; switch to them to use it.`);
    }
    return channel;
  }

  async #deliver(request: SlackRequest): Promise<{ ok: true; body: string } | { ok: false; error: string }> {
    try {
      const answer = await deliver(this.#o.eventsUrl, request);
      if (answer.status !== 200) return { ok: false, error: `The bot refused the request (HTTP ${answer.status}).` };
      return { ok: true, body: answer.body };
    } catch {
      return { ok: false, error: 'The bot could not be reached.' };
    }
  }

  async #send(request: SlackRequest): Promise<Sent> {
    const answer = await this.#deliver(request);
    return answer.ok ? { ok: true } : answer;
  }
}
