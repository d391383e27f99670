import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { clientIpOf, graphqlGuards, viewerOf } from '../../http/graphql-guards.js';
import type { Logger } from '../../infra/logger.js';
import type { Limits } from '../../limits/limits.js';
import type { Services } from '../../services.js';
import type { Authenticate } from '../auth.js';
import type { Context } from '../context.js';
import { createLiveAdmission } from './admission.js';
import { formatRefusals, maskResult } from './format-result.js';
import { sseTransport, type BufferLimits, type SseOutput } from './frames.js';
import { groupedSubscribe } from './grouped-subscribe.js';
import { refuseRequests } from './subscriptions-only.js';
import { createSseHandler } from './sse-response.js';
import type { SubscriptionGroups } from './subscription-groups.js';

function refusal(status: number, errors: readonly { message: string; extensions?: Record<string, unknown> }[]) {
  const body = JSON.stringify({ errors });
  return [body, { status, statusText: status === 401 ? 'Unauthorized' : 'Refused', headers: { 'content-type': 'application/json; charset=utf-8' } }] as const;
}

/**
 * GraphQL over Server-Sent Events (graphql-sse) at /graphql/stream: the same guards as
 * /graphql (token, request rate, body size), then the same admission as over WebSocket.
 */
export function sseHandlers(deps: { schema: GraphQLSchema; authenticate: Authenticate; services: Services; log: Logger; limits: Limits; buffers: BufferLimits; groups: SubscriptionGroups; subscriptionsOnly?: boolean; introspection: boolean }): RequestHandler[] {
  const admit = createLiveAdmission(deps);
  const releases = new WeakMap<Request, () => Promise<void>>();
  const contextOf = (req: Request, output: SseOutput, extensions: Record<string, unknown> | undefined): Context & Record<PropertyKey, unknown> => ({
    requestId: randomUUID(),
    viewer: viewerOf(req),
    services: deps.services,
    log: deps.log,
    transport: liveTransport(output, extensions, deps.buffers),
  });
  const handler = createSseHandler<Context & Record<PropertyKey, unknown>>({
    schema: deps.schema,
    subscribe: groupedSubscribe(deps.groups),
    ...(deps.subscriptionsOnly ? { execute: refuseRequests } : {}),
    // the admission validated the document already (the same rules as over HTTP)
    validate: () => [],
    authenticate: (req) => {
      const viewer = viewerOf(req.raw);
      if (!viewer) return refusal(401, [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }]);
      if (viewer.expiresAt !== undefined) {
        // end the stream when the token expires; the client reconnects with a fresh one and resumes from its cursor
        const res = req.context.res;
        const timer = setTimeout(() => res.end(), Math.min(Math.max(0, viewer.expiresAt * 1000 - Date.now()), 2 ** 31 - 1));
        res.on('close', () => clearTimeout(timer));
      }
      const revalidate = deps.authenticate.revalidate;
      if (revalidate && (viewer.sessionId !== undefined || viewer.apiKeyId !== undefined)) {
        // a revoked session or API key ends the stream within AUTH_RECHECK_MS
        const res = req.context.res;
        const recheck = setInterval(() => {
          revalidate.check(viewer).then(
            (valid) => {
              if (!valid) res.end();
            },
            (err: unknown) => deps.log.warn({ err }, 'sse: could not check the session again'),
          );
        }, revalidate.everyMs);
        res.on('close', () => clearInterval(recheck));
      }
      const token = req.raw.headers['x-graphql-event-stream-token'];
      return typeof token === 'string' ? token : randomUUID();
    },
    onSubscribe: async (req, params) => {
      const viewer = viewerOf(req.raw)!;
      const admission = await admit({ viewer, clientIp: clientIpOf(req.raw), connectionId: randomUUID() }, params, { countRequest: false });
      if (admission.errors) return refusal(admission.status, formatRefusals(admission.errors));
      releases.set(req.raw, admission.release);
      // in distinct-connections mode this response is the stream: a client gone away frees its slots too
      if (req.raw.headers.accept === 'text/event-stream') req.context.res.once('close', () => void admission.release());
      const { document, variableValues, operationName } = admission.admitted;
      return { schema: deps.schema, document, variableValues, operationName, contextValue: contextOf(req.raw, req.context.output, params.extensions) };
    },
    onComplete: async (_ctx, req) => {
      await releases.get(req.raw)?.();
    },
    onNext: (_ctx, _req, result) => (result.errors ? maskResult(result as ExecutionResult, deps.log) : result) as never,
  });
  const serve: RequestHandler = (req: Request, res: Response, next) => {
    handler(req, res).catch((err: unknown) => {
      deps.log.error({ err }, 'sse: request failed');
      if (!res.headersSent) next(err);
      else res.end();
    });
  };
  return [...graphqlGuards(deps), serve];
}

/** Frames straight to the response in distinct-connection mode; a single-connection stream (several operations) goes through the library. */
function liveTransport(output: SseOutput, extensions: Record<string, unknown> | undefined, buffers: BufferLimits) {
  if (extensions?.['operationId'] !== undefined) return { isBackedUp: () => output.res.writableLength > buffers.bufferBytes };
  return sseTransport(output, null, buffers);
}
