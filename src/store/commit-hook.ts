import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './database.ts';

// One piece of work that must commit with whatever a request changes, without the request's code
// knowing about it: an inbound interaction is marked done (src/core/messaging/inbox.ts) inside the
// first write transaction its handler commits. The hook is taken by that transaction and runs after
// the handler's own work, before COMMIT; if it throws, the transaction rolls back with it. A handler
// that writes nothing leaves the hook untaken, and its caller finishes the work on its own.

const pending = new AsyncLocalStorage<{ hook: ((tx: Tx) => Promise<void>) | null }>();

/**
 * Runs `work` with `hook` waiting for the first write transaction `work` commits (see inTransaction).
 * Once `work` has finished the hook is withdrawn, so a transaction `work` left running in the
 * background never takes it after the caller has moved on.
 */
export async function withCommitHook<T>(hook: (tx: Tx) => Promise<void>, work: () => Promise<T>): Promise<T> {
  const slot = { hook: hook as ((tx: Tx) => Promise<void>) | null };
  try {
    return await pending.run(slot, work);
  } finally {
    slot.hook = null;
  }
}

/** Runs the waiting hook, if any, inside `tx`; called by inTransaction after the transaction's work. */
export async function runCommitHook(tx: Tx): Promise<void> {
  const slot = pending.getStore();
  const hook = slot?.hook;
  if (!slot || !hook) return;
  slot.hook = null;
  try {
    await hook(tx);
  } catch (error) {
    // The transaction rolls back, so the work is still to do: the next transaction may take it.
    slot.hook = hook;
    throw error;
  }
}
