import type { Portfolio } from '../demo/portfolio.ts';
import { DEMO_APPROVALS_CHANNEL, DEMO_FINDINGS_CHANNEL } from '../demo/routing.ts';
import { demoSigningPin } from '../demo/signing-pins.ts';

// The people of the demo portfolio become the playground's personas (and the workspace's users), in
// the portfolio's order: analyst, owner, approver and viewer first. The two shared channels are where
// the demo routes its cards; every persona also has a direct conversation with the bot.

export interface Persona {
  /** The Slack user id, e.g. UDEMOANALYST. */
  id: string;
  /** The neutral principal, e.g. slack:UDEMOANALYST. */
  principal: string;
  name: string;
  /** What they do, e.g. "Third-party risk analyst". */
  title: string;
  /** The short handle Slack puts in payloads (`user.name`). */
  handle: string;
  /** Their demo signing PIN, shown in the playground so anyone can sign as them. */
  signingPin: string;
}

export interface PlaygroundChannel {
  id: string;
  name: string;
  kind: 'channel' | 'dm';
  /** For a direct conversation: the persona it belongs to. */
  persona?: string;
}

const slackId = (target: string): string => target.slice(target.indexOf(':') + 1);

export function personasOf(portfolio: Portfolio): Persona[] {
  return portfolio.people.map((p, index) => ({
    id: slackId(p.principal),
    principal: p.principal,
    name: p.name,
    title: p.title,
    handle: (p.name.split(' ')[0] ?? p.name).toLowerCase(),
    signingPin: demoSigningPin(index),
  }));
}

/** `openDm` gives the id of a persona's conversation with the bot, as the workspace numbers it. */
export function channelsOf(personas: Persona[], openDm: (userId: string) => string): PlaygroundChannel[] {
  return [
    { id: slackId(DEMO_FINDINGS_CHANNEL), name: 'vendor-findings', kind: 'channel' },
    { id: slackId(DEMO_APPROVALS_CHANNEL), name: 'vendor-approvals', kind: 'channel' },
    ...personas.map((p): PlaygroundChannel => ({ id: openDm(p.id), name: p.name, kind: 'dm', persona: p.id })),
  ];
}
