import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql';
import type { GraphQLErrorShape } from './http';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';

/** Close codes that mean the token is missing, invalid or expired: retrying with it cannot succeed. */
const TOKEN_REFUSED_CLOSE_CODES = new Set([4401, 4403, 4419]);
export type Transport = 'websocket' | 'sse';

export interface LiveSubscription<TResult, TVariables> {
  document: TypedDocumentString<TResult, TVariables>;
  /** Evaluated at every (re)subscribe, so a resumed subscription starts from the latest cursor. */
  variables: () => TVariables;
  next: (data: TResult) => void;
  onError?: (errors: GraphQLErrorShape[]) => void;
  /** Streams that end only when the server cuts them (events, stock) resume; others (job progress) just finish. */
  resumeOnComplete?: boolean;
}

type Entry = { sub: LiveSubscription<unknown, unknown>; stop?: () => void };

const MAX_BACKOFF_MS = 5000;

/**
 * One live connection for the whole page: graphql-ws, or graphql-sse where WebSockets
 * are blocked. It never lets a library replay a subscription with stale variables: after
 * any drop it resubscribes each subscription itself with its current variables (cursor).
 */
export class LiveConnection {
  private readonly entries = new Set<Entry>();
  private ws: Client | undefined;
  private sse: ReturnType<typeof createSseClient> | undefined;
  private failuresBeforeConnect = 0;
  private everConnected = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  transport: Transport = typeof WebSocket === 'function' ? 'websocket' : 'sse';

  constructor(
    private readonly token: () => string,
    private readonly onStatus: (status: ConnectionStatus, transport: Transport) => void,
  ) {
    this.connect();
  }

  subscribe<TResult, TVariables>(sub: LiveSubscription<TResult, TVariables>): () => void {
    const entry: Entry = { sub: sub as LiveSubscription<unknown, unknown> };
    this.entries.add(entry);
    this.start(entry);
    return () => {
      this.entries.delete(entry);
      entry.stop?.();
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    for (const entry of this.entries) entry.stop?.();
    void this.ws?.dispose();
    this.sse?.dispose();
  }

  private connect(): void {
    if (this.closed) return;
    this.onStatus(this.everConnected ? 'reconnecting' : 'connecting', this.transport);
    if (this.transport === 'sse') {
      this.sse = createSseClient({ url: '/graphql/stream', headers: () => ({ authorization: `Bearer ${this.token()}` }), retryAttempts: 0 });
      this.connected();
      return;
    }
    const client = createWsClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${this.token()}` }),
      lazy: false,
      retryAttempts: 0,
      keepAlive: 10_000,
      onNonLazyError: () => undefined,
      on: {
        connected: () => {
          if (this.ws === client) this.connected();
        },
        closed: (event) => {
          if (this.ws !== client) return;
          if (TOKEN_REFUSED_CLOSE_CODES.has((event as CloseEvent).code)) this.refused();
          else this.dropped();
        },
      },
    });
    this.ws = client;
  }

  private connected(): void {
    this.everConnected = true;
    this.failuresBeforeConnect = 0;
    this.onStatus('live', this.transport);
    for (const entry of this.entries) this.start(entry);
  }

  /** The server refused the token: stop, and let the page ask for a new one (never retry it forever). */
  private refused(): void {
    this.close();
    this.onStatus('refused', this.transport);
  }

  private dropped(): void {
    for (const entry of this.entries) {
      entry.stop?.();
      entry.stop = undefined;
    }
    const old = this.ws;
    this.ws = undefined;
    void old?.dispose();
    if (this.closed) return;
    if (!this.everConnected && ++this.failuresBeforeConnect >= 3 && this.transport === 'websocket') this.transport = 'sse';
    this.onStatus('reconnecting', this.transport);
    const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failuresBeforeConnect, 5)) * (0.5 + Math.random());
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), wait);
  }

  private start(entry: Entry): void {
    if (!this.entries.has(entry) || entry.stop) return;
    const payload = { query: entry.sub.document.toString(), variables: entry.sub.variables() as Record<string, unknown> };
    const sink = {
      next: (result: { data?: unknown; errors?: readonly unknown[] }) => {
        if (result.errors?.length) entry.sub.onError?.(result.errors as GraphQLErrorShape[]);
        if (result.data) entry.sub.next(result.data);
      },
      error: (error: unknown) => {
        entry.stop = undefined;
        if ((error as { response?: { status?: number } } | null)?.response?.status === 401) return this.refused();
        if (this.transport === 'sse') this.resubscribeSoon(entry);
      },
      complete: () => {
        entry.stop = undefined;
        // the server ended it (e.g. RESUME_FROM_CURSOR, or an SSE stream at token expiry): resume from the cursor
        if (entry.sub.resumeOnComplete !== false) this.resubscribeSoon(entry);
        else this.entries.delete(entry);
      },
    };
    if (this.transport === 'websocket' && this.ws) entry.stop = this.ws.subscribe(payload, sink);
    else if (this.transport === 'sse' && this.sse) entry.stop = this.sse.subscribe(payload, sink);
  }

  private resubscribeSoon(entry: Entry): void {
    if (this.closed || !this.entries.has(entry)) return;
    setTimeout(() => this.start(entry), 250 + Math.random() * 500);
  }
}
