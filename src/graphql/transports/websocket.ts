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
import { createLiveAdmission } from './admission.js';
import { createConnectionCounts } from './connection-counts.js';
import { maskErrors, maskResult } from './format-result.js';
import { webSocketTransport, type BufferLimits } from './frames.js';
import { groupedSubscribe } from './grouped-subscribe.js';
import { refuseRequests } from './subscriptions-only.js';
import type { SubscriptionGroups } from './subscription-groups.js';

/** Close codes of the GraphQL WebSocket endpoint (documented in the README). */
export const WS_CLOSE = {
  /** connection_init carried no authorization. */
  Unauthorized: CloseCode.Unauthorized, // 4401
  /** The token is invalid or expired at connect time, or its session or API key was revoked while open. */
  Forbidden: CloseCode.Forbidden, // 4403
  /** The token expired on an open connection: reconnect with a fresh token and resume from the last cursor. */
  TokenExpired: 4419,
  /**
   * The seller (WS_CONNECTIONS_MAX_PER_SELLER) or the client address (WS_CONNECTIONS_MAX_PER_ADDRESS)
   * already holds as many open connections as allowed: close one, or retry later. Not one of
   * graphql-ws's fatal codes, so its client retries with backoff.
   */
  TooManyConnections: 4029,
} as const;

type Extra = {
  viewer?: Viewer;
  expiry?: NodeJS.Timeout;
  /** Checks the viewer's session or API key again while the connection is open. */
  recheck?: NodeJS.Timeout;
  connectionId?: string;
  releases?: Map<string, () => Promise<void>>;
  /** The keys this connection counts against, released when it closes. */
  counted?: { seller: string; address: string };
};

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
  /** Schema introspection allowed (INTROSPECTION_ENABLED), as over HTTP. */
  introspection: boolean;
}) {
  const wss = new WebSocketServer({ server: deps.server, path: '/graphql', maxPayload: 1024 * 1024 });
  const admit = createLiveAdmission(deps);
  const bySeller = createConnectionCounts();
  const byAddress = createConnectionCounts();
  const { maxWebSocketsPerSeller, maxWebSocketsPerAddress } = deps.limits.settings;

  const releaseAll = async (extra: Extra) => {
    const releases = [...(extra.releases?.values() ?? [])];
    extra.releases?.clear();
    await Promise.all(releases.map((release) => release()));
  };

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
        let viewer: Viewer | null;
        try {
          viewer = await deps.authenticate(authorization, undefined);
        } catch {
          return false; // closes with 4403 Forbidden
        }
        if (!viewer) return false;
        const address = ctx.extra.request.socket.remoteAddress ?? 'unknown';
        if (!byAddress.take(address, maxWebSocketsPerAddress)) {
          ctx.extra.socket.close(WS_CLOSE.TooManyConnections, `Too many connections: at most ${maxWebSocketsPerAddress} per client address`);
          return false;
        }
        if (!bySeller.take(viewer.sellerId, maxWebSocketsPerSeller)) {
          byAddress.release(address);
          ctx.extra.socket.close(WS_CLOSE.TooManyConnections, `Too many connections: at most ${maxWebSocketsPerSeller} per seller`);
          return false;
        }
        ctx.extra.counted = { seller: viewer.sellerId, address };
        ctx.extra.viewer = viewer;
        if (viewer.expiresAt !== undefined) {
          const ms = Math.max(0, viewer.expiresAt * 1000 - Date.now());
          ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(WS_CLOSE.TokenExpired, 'Token expired'), Math.min(ms, 2 ** 31 - 1));
        }
        const revalidate = deps.authenticate.revalidate;
        if (revalidate && (viewer.sessionId !== undefined || viewer.apiKeyId !== undefined)) {
          ctx.extra.recheck = setInterval(() => {
            revalidate.check(viewer).then(
              (valid) => {
                if (!valid) ctx.extra.socket.close(WS_CLOSE.Forbidden, 'Forbidden: the session or API key was revoked');
              },
              (err: unknown) => deps.log.warn({ err }, 'websocket: could not check the session again'),
            );
          }, revalidate.everyMs);
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const viewer = ctx.extra.viewer;
        if (!viewer) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        ctx.extra.connectionId ??= randomUUID();
        const admission = await admit(
          { viewer, clientIp: ctx.extra.request.socket.remoteAddress ?? 'unknown', connectionId: ctx.extra.connectionId },
          payload,
          { countRequest: true },
        );
        if (admission.errors) return admission.errors;
        (ctx.extra.releases ??= new Map()).set(id, admission.release);
        // the admitted document runs as is: graphql-ws neither parses nor validates it again
        const { document, variableValues, operationName } = admission.admitted;
        return { schema: deps.schema, document, variableValues, operationName };
      },
      onComplete: async (ctx, id) => {
        await ctx.extra.releases?.get(id)?.();
        ctx.extra.releases?.delete(id);
      },
      onClose: async (ctx) => {
        clearTimeout(ctx.extra.expiry);
        clearInterval(ctx.extra.recheck);
        if (ctx.extra.counted) {
          bySeller.release(ctx.extra.counted.seller);
          byAddress.release(ctx.extra.counted.address);
          ctx.extra.counted = undefined;
        }
        await releaseAll(ctx.extra);
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
      onError: (_ctx, _id, _payload, errors) => maskErrors(errors, deps.log),
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
