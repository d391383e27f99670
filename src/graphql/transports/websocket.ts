import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../infra/logger.js';
import type { Limits } from '../../limits/limits.js';
import type { Services } from '../../services.js';
import type { Authenticate, Viewer } from '../auth.js';
import type { Context } from '../context.js';
import { admitLiveOperation } from './admission.js';
import { maskResult } from './format-result.js';
import { webSocketTransport, type BufferLimits } from './frames.js';
import { groupedSubscribe } from './grouped-subscribe.js';
import { refuseRequests } from './subscriptions-only.js';
import type { SubscriptionGroups } from './subscription-groups.js';

/** Close codes of the GraphQL WebSocket endpoint (documented in the README). */
export const WS_CLOSE = {
  /** connection_init carried no authorization. */
  Unauthorized: CloseCode.Unauthorized, // 4401
  /** The token is invalid or expired at connect time. */
  Forbidden: CloseCode.Forbidden, // 4403
  /** The token expired on an open connection: reconnect with a fresh token and resume from the last cursor. */
  TokenExpired: 4419,
} as const;

type Extra = { viewer?: Viewer; expiry?: NodeJS.Timeout; connectionId?: string; releases?: Map<string, () => Promise<void>> };

/** graphql-ws on the api's HTTP server at /graphql; auth comes in the connection_init payload. */
export function attachWebSocket(deps: {
  server: Server;
  schema: GraphQLSchema;
  authenticate: Authenticate;
  services: Services;
  log: Logger;
  limits: Limits;
  buffers: BufferLimits;
  groups: SubscriptionGroups;
  subscriptionsOnly?: boolean;
}) {
  const wss = new WebSocketServer({ server: deps.server, path: '/graphql', maxPayload: 1024 * 1024 });
  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      schema: deps.schema,
      subscribe: groupedSubscribe(deps.groups),
      ...(deps.subscriptionsOnly ? { execute: refuseRequests } : {}),
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization'];
        if (typeof authorization !== 'string' || authorization === '') {
          ctx.extra.socket.close(WS_CLOSE.Unauthorized, 'Unauthorized: send { authorization: "Bearer <token>" } in connection_init');
          return false;
        }
        try {
          const viewer = await deps.authenticate(authorization, undefined);
          if (!viewer) return false;
          ctx.extra.viewer = viewer;
          if (viewer.expiresAt !== undefined) {
            const ms = Math.max(0, viewer.expiresAt * 1000 - Date.now());
            ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(WS_CLOSE.TokenExpired, 'Token expired'), Math.min(ms, 2 ** 31 - 1));
          }
          return true;
        } catch {
          return false; // closes with 4403 Forbidden
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const viewer = ctx.extra.viewer;
        if (!viewer) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        ctx.extra.connectionId ??= randomUUID();
        const admission = await admitLiveOperation(
          deps,
          { viewer, clientIp: ctx.extra.request.socket.remoteAddress ?? 'unknown', connectionId: ctx.extra.connectionId },
          payload,
          { countRequest: true },
        );
        if (admission.errors) return admission.errors;
        (ctx.extra.releases ??= new Map()).set(id, admission.release);
      },
      onComplete: async (ctx, id) => {
        await ctx.extra.releases?.get(id)?.();
        ctx.extra.releases?.delete(id);
      },
      onClose: async (ctx) => {
        clearTimeout(ctx.extra.expiry);
        if (ctx.extra.connectionId) await deps.limits.releaseConnectionSlots(ctx.extra.connectionId);
      },
      context: (ctx, id): Context => ({
        requestId: randomUUID(),
        viewer: ctx.extra.viewer ?? null,
        services: deps.services,
        log: deps.log,
        transport: webSocketTransport(ctx.extra.socket, id, deps.buffers),
      }),
      onNext: (_ctx, _id, _payload, _args, result) => maskResult(result, deps.log),
    },
    wss,
    10_000,
  );
  return {
    wss,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await disposable.dispose();
    },
  };
}
