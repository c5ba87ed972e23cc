// Platform-neutral references inside command words. Adapters turn platform syntax into these tokens
// before dispatch (Slack `<@U123|dana>` becomes `<@slack:U123|dana>`), so a command can accept
// "a person" or "a channel" without knowing which chat it runs in.

const USER_REF = /^<@([a-z]+:[^|>\s]+)(?:\|[^>]*)?>$/;
const CHANNEL_REF = /^<#([a-z]+:[^|>\s]+)(?:\|[^>]*)?>$/;

/** `<@slack:U123|dana>` -> `slack:U123`; anything else (a plain name, `@dana`) -> null. */
export function parseUserRef(token: string): string | null {
  return USER_REF.exec(token.trim())?.[1] ?? null;
}

/** `<#slack:C123|risk>` -> `slack:C123`, a target notifications can be sent to; anything else -> null. */
export function parseChannelRef(token: string): string | null {
  return CHANNEL_REF.exec(token.trim())?.[1] ?? null;
}

/** A channel token for replies and adapters: `channelRef('slack:C1', 'risk')` -> `<#slack:C1|risk>`. */
export function channelRef(target: string, name: string): string {
  return `<#${target}|${name.replace(/[|>]/g, ' ')}>`;
}

export const CHANNEL_PATTERN = /<#([^|>]+)\|([^>]*)>/g;
