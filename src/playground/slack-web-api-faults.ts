// Failures a test asks the Slack Web API stand-in to give: the next calls of a method answer with an
// HTTP status, a Slack error, a 429 with Retry-After, a dropped connection, or a normal answer held back
// for a while (a slow Slack), after letting some through.

export type Fault =
  | { status: number }
  | { error: string }
  | { rateLimited: number }
  /** The connection is dropped without an answer (a network error for the client). */
  | { drop: true }
  /** Answered as usual, but only after this many milliseconds. */
  | { delayMs: number };

export class Faults {
  readonly #queues = new Map<string, { fault: Fault; times: number; after: number }[]>();

  /** The next `times` calls of `method` (after letting `after` calls through) answer with `fault`. */
  inject(method: string, fault: Fault, times = 1, after = 0): void {
    const queue = this.#queues.get(method) ?? [];
    queue.push({ fault, times, after });
    this.#queues.set(method, queue);
  }

  /** The fault this call of `method` meets, if any. */
  take(method: string): Fault | null {
    const queue = this.#queues.get(method);
    const next = queue?.[0];
    if (!queue || !next) return null;
    if (next.after > 0) {
      next.after -= 1;
      return null;
    }
    next.times -= 1;
    if (next.times <= 0) queue.shift();
    return next.fault;
  }
}
