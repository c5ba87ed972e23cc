/**
 * Runs submitted items in batches, so many rows share one commit. A SQLite commit costs an fsync
 * (synchronous=FULL), and better-sqlite3 blocks the event loop while it runs, so nothing can join a
 * batch during its commit: the batch instead stays open for `windowMs` after its first item.
 */
export class GroupCommit<In, Out> {
  readonly #run: (items: In[]) => Promise<Out[]>;
  readonly #windowMs: number;
  #waiting: { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  #busy = false;

  /** `run` gets the batch and returns one result per item, in order. */
  constructor(run: (items: In[]) => Promise<Out[]>, windowMs = 0) {
    this.#run = run;
    this.#windowMs = windowMs;
  }

  submit(item: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#busy) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    while (this.#waiting.length > 0) {
      if (this.#windowMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#windowMs));
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        const results = await this.#run(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          b.resolve(results[i] as Out);
        });
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.#busy = false;
  }
}
