/**
 * Work that must wait until a transaction has committed (e.g. waking the outbox relay):
 * registered by whatever wrote inside the transaction, run by whoever commits it
 * (inTransaction), and simply forgotten when the transaction rolls back.
 */
const pending = new WeakMap<object, Set<() => void>>();

/** Runs hook once after tx commits; registering the same hook twice in one transaction runs it once. */
export function afterCommit(tx: object, hook: () => void): void {
  let hooks = pending.get(tx);
  if (!hooks) pending.set(tx, (hooks = new Set()));
  hooks.add(hook);
}

/** Call right after tx committed. A failing hook never fails the (already committed) write. */
export function runAfterCommit(tx: object | undefined): void {
  if (!tx) return;
  const hooks = pending.get(tx);
  if (!hooks) return;
  pending.delete(tx);
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // hooks are wake-ups and hints; whatever they start has its own safety net
    }
  }
}
