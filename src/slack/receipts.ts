// Slack delivers some things more than once (claimed in src/core/messaging/inbound-receipts.ts): Events API retries (X-Slack-Retry-Num, same event_id)
// and, rarely, an interaction payload twice. Each inbound item claims a key once; a second claim
// fails and the duplicate is acknowledged and ignored. State changes in the core are conditional
// updates as well, so a person's own double click is a friendly no-op either way.

export const receiptKeys = {
  event: (eventId: string) => `slack:event:${eventId}`,
  action: (userId: string, actionTs: string, actionId: string) => `slack:action:${userId}:${actionTs}:${actionId}`,
  submission: (viewId: string, hash: string) => `slack:view:${viewId}:${hash}`,
  closed: (viewId: string) => `slack:view-closed:${viewId}`,
  command: (triggerId: string) => `slack:command:${triggerId}`,
};

/**
 * Slash commands are not redelivered by Slack, but a captured one could be replayed (within the
 * five-minute timestamp window) after a restart emptied this set. So a command claims a durable
 * receipt as well (src/slack/on-command.ts); this bounded in-process set answers an accidental double
 * post without touching the store, which keeps the durable claim to one insert per new command.
 */
export class RecentKeys {
  readonly #seen = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** True the first time a key is seen (within the last `capacity` keys). */
  claim(key: string): boolean {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    if (this.#seen.size > this.#capacity) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }
}
