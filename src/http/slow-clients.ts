import { createServer, type RequestListener, type Server } from 'node:http';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config.js';

/**
 * The HTTP server with bounds on slow clients: headers must arrive within headersMs and the whole
 * request within requestMs (Node's defaults, 60 s and 300 s, let a few hundred trickling
 * connections hold the server), idle keep-alive sockets close after keepAliveMs. Node checks
 * the first two only every connectionsCheckingInterval (30 s by default), hence the shorter one.
 */
export function createBoundedServer(app: RequestListener, timeouts: Config['timeouts']): Server {
  const server = createServer({ connectionsCheckingInterval: Math.min(1000, timeouts.headersMs), keepAliveTimeout: timeouts.keepAliveMs }, app);
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  return server;
}

/** graphql-ws message ids that start (subscribe) and end (complete, error) an operation. */
function operationOf(data: RawData | string): { type: string; id?: string } | null {
  try {
    const message = JSON.parse(String(data)) as unknown;
    if (typeof message !== 'object' || message === null) return null;
    const { type, id } = message as { type?: unknown; id?: unknown };
    return typeof type === 'string' ? { type, id: typeof id === 'string' ? id : undefined } : null;
  } catch {
    return null;
  }
}

export const WS_IDLE_CLOSE = { code: 1000, reason: 'Idle timeout: no operation for too long' } as const;

/**
 * Closes a WebSocket that has run no operation for idleMs: a connection holding a subscription
 * is never idle, one that only pings is. graphql-ws's own keep-alive already ends dead peers.
 */
export function closeIdleWebSockets(wss: WebSocketServer, idleMs: number): void {
  wss.on('connection', (socket: WebSocket) => {
    const running = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(timer);
      timer = running.size > 0 ? undefined : setTimeout(() => socket.close(WS_IDLE_CLOSE.code, WS_IDLE_CLOSE.reason), idleMs);
    };
    socket.on('message', (data) => {
      const op = operationOf(data);
      if (op?.id === undefined) return;
      if (op.type === 'subscribe') running.add(op.id);
      else if (op.type === 'complete') running.delete(op.id);
      rearm();
    });
    // the server ends an operation by sending complete or error; ws has no event for sends
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      // only graphql-ws's own messages come through here (subscription frames go to the socket directly)
      if (typeof data === 'string' && (data.includes('"complete"') || data.includes('"error"'))) {
        const op = operationOf(data);
        if (op?.id !== undefined && (op.type === 'complete' || op.type === 'error') && running.delete(op.id)) rearm();
      }
      send(data, ...rest);
    }) as WebSocket['send'];
    socket.on('close', () => clearTimeout(timer));
    rearm();
  });
}
