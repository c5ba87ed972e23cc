import type { Json } from './slack-web-api-views.ts';

// The records the Slack Web API stand-in keeps, shared by its workspace and its read methods.

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  tz?: string;
  email?: string;
  isBot?: boolean;
}

export interface ChannelSpec {
  id: string;
  /** The bot is in the channel (else `not_in_channel`); default true. */
  member?: boolean;
  archived?: boolean;
  /** Who is in the channel (for ephemeral messages); default: everyone in the directory. */
  members?: string[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  /** Message metadata (`event_type`, `event_payload`), as posted. */
  metadata: Json | undefined;
  /** Earlier versions, oldest first, each replaced by a chat.update. */
  edits: { text: string; blocks: unknown[] | undefined }[];
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  messageTs: string;
}

export interface Channel extends Required<Omit<ChannelSpec, 'members'>> {
  members: string[] | null;
  messages: StoredMessage[];
}

/** Slack's message metadata: an `event_type` name and an `event_payload` object. */
export function isMetadata(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Json;
  return typeof m.event_type === 'string' && typeof m.event_payload === 'object' && m.event_payload !== null;
}
