/**
 * The process-wide signal that a transaction which appended events has committed. appendEvent
 * registers it as an afterCommit hook, so every committed write that produced events fires it
 * once, outside the transaction; the event bus turns it into the relay's wake-up.
 */
const listeners = new Set<() => void>();

export function eventsCommitted(): void {
  for (const listener of listeners) listener();
}

export function onEventsCommitted(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
