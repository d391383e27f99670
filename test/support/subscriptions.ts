import { print, type DocumentNode } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T> {
  values: T[];
  errors: { message: string; extensions?: Record<string, unknown> }[];
  completed: boolean;
  closeCode?: number;
}

export interface Subscription<T> extends Received<T> {
  /** Resolves when the condition holds over what was received, or rejects after the timeout. */
  waitFor: (condition: (r: Received<T>) => boolean, timeoutMs?: number, label?: string) => Promise<void>;
  unsubscribe: () => void;
}

function collector<T>(): { sub: Subscription<T>; changed: () => void } {
  const waiters = new Set<() => void>();
  const sub: Subscription<T> = {
    values: [],
    errors: [],
    completed: false,
    unsubscribe: () => undefined,
    waitFor: (condition, timeoutMs = 10_000, label = 'condition') =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!condition(sub)) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${label}: ${sub.values.length} values, errors ${JSON.stringify(sub.errors)}, completed ${sub.completed}, close ${sub.closeCode}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
  };
  return { sub, changed: () => [...waiters].forEach((w) => w()) };
}

export function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/graphql`;
}

/** A graphql-ws client that never retries, so tests see every close code. */
export function wsClient(httpUrl: string, authorization?: string): Client & { closeCode: Promise<number> } {
  let resolveClose: (code: number) => void = () => undefined;
  const closeCode = new Promise<number>((r) => (resolveClose = r));
  const client = createWsClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: authorization === undefined ? {} : { authorization },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => resolveClose((event as { code: number }).code) },
  });
  return Object.assign(client, { closeCode });
}

type Result<T> = { data?: Record<string, T> | null; errors?: readonly unknown[] };

/** The sink both transports' clients take: values, errors and the end land in `sub`. */
function sinkFor<T>(sub: Subscription<T>, changed: () => void, describeError: (err: unknown) => void) {
  return {
    next: (result: Result<T>) => {
      if (result.errors) sub.errors.push(...(result.errors as Received<T>['errors']));
      if (result.data) sub.values.push(Object.values(result.data)[0]!);
      changed();
    },
    error: (err: unknown) => {
      describeError(err);
      sub.completed = true;
      changed();
    },
    complete: () => {
      sub.completed = true;
      changed();
    },
  };
}

export function subscribeWs<T>(client: Client, document: DocumentNode | string, variables: Record<string, unknown> = {}): Subscription<T> {
  const { sub, changed } = collector<T>();
  const query = typeof document === 'string' ? document : print(document);
  sub.unsubscribe = client.subscribe<Record<string, T>>(
    { query, variables },
    sinkFor(sub, changed, (err) => {
      const code = (err as { code?: number }).code;
      if (typeof code === 'number') sub.closeCode = code;
      else sub.errors.push(...((Array.isArray(err) ? err : [{ message: String(err) }]) as Received<T>['errors']));
    }),
  );
  return sub;
}

export function subscribeSse<T>(httpUrl: string, authorization: string | undefined, document: DocumentNode | string, variables: Record<string, unknown> = {}): Subscription<T> {
  const { sub, changed } = collector<T>();
  const client = createSseClient({
    url: `${httpUrl}/graphql/stream`,
    headers: authorization ? { authorization } : {},
    retryAttempts: 0,
  });
  const query = typeof document === 'string' ? document : print(document);
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    sinkFor(sub, changed, (err) => sub.errors.push({ message: err instanceof Error ? err.message : JSON.stringify(err) })),
  );
  sub.unsubscribe = () => {
    stop();
    client.dispose();
  };
  return sub;
}

/** Polls until the check passes (for state that has no event to wait on). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, label = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
