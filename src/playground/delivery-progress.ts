import type { Db } from '../store/database.ts';

// How far the bot is with the messages it has queued (the demo seed's fifty cards, a month of
// reminders). A batch starts when something waits while nothing did before, at the oldest row waiting;
// it counts every row queued since, and how many of those have gone out. When nothing waits it is over.
// Slack takes one post per channel per second, so the page shows this rather than channels filling silently.

export interface Progress {
  sent: number;
  total: number;
}

export class DeliveryProgress {
  /** The first outbox row of the current batch; null while nothing waits. */
  #since: number | null = null;

  /** Null when nothing waits to be sent. */
  async read(db: Db): Promise<Progress | null> {
    const head = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min<number | null>('id').as('id'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (head?.id === null || head?.id === undefined) {
      this.#since = null;
      return null;
    }
    this.#since = Math.min(this.#since ?? head.id, head.id);
    const row = await db
      .selectFrom('outbox')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(0).else(1).end()).as('sent'),
      ])
      .where('id', '>=', this.#since)
      .executeTakeFirst();
    return { sent: Number(row?.sent ?? 0), total: Number(row?.total ?? 0) };
  }
}
