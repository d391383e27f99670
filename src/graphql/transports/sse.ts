import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/express';
import type { Logger } from '../../infra/logger.js';
import type { Services } from '../../services.js';
import type { Authenticate, Viewer } from '../auth.js';
import type { Context } from '../context.js';
import { maskResult } from './format-result.js';

function unauthorized(message: string) {
  return [JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }), { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json; charset=utf-8' } }] as const;
}

/** GraphQL over Server-Sent Events (graphql-sse) at /graphql/stream, authenticated by the Authorization header. */
export function sseHandler(deps: { schema: GraphQLSchema; authenticate: Authenticate; services: Services; log: Logger; bufferBytes: number }): RequestHandler {
  const viewers = new WeakMap<Request, Viewer>();
  const handler = createHandler<Context & Record<PropertyKey, unknown>>({
    schema: deps.schema,
    authenticate: async (req) => {
      try {
        const gateway = req.raw.headers['x-seller-id'];
        const viewer = await deps.authenticate(req.raw.headers.authorization, typeof gateway === 'string' ? gateway : undefined);
        if (!viewer) return unauthorized('A valid bearer token is required');
        viewers.set(req.raw, viewer);
        const res = req.context.res;
        if (viewer.expiresAt !== undefined) {
          // end the stream when the token expires; the client reconnects with a fresh one and resumes from its cursor
          const timer = setTimeout(() => res.end(), Math.min(Math.max(0, viewer.expiresAt * 1000 - Date.now()), 2 ** 31 - 1));
          res.on('close', () => clearTimeout(timer));
        }
        const token = req.raw.headers['x-graphql-event-stream-token'];
        return typeof token === 'string' ? token : randomUUID();
      } catch (error) {
        return unauthorized(error instanceof Error ? error.message : 'The token is invalid');
      }
    },
    context: (req): Context & Record<PropertyKey, unknown> => ({
      requestId: randomUUID(),
      viewer: viewers.get(req.raw) ?? null,
      services: deps.services,
      log: deps.log,
      transport: { isBackedUp: () => req.context.res.writableLength > deps.bufferBytes },
    }),
    onNext: (_ctx, _req, result) => (result.errors ? maskResult(result as ExecutionResult, deps.log) : result) as never,
  });
  return (req: Request, res: Response, next) => {
    handler(req, res).catch((err: unknown) => {
      deps.log.error({ err }, 'sse: request failed');
      if (!res.headersSent) next(err);
      else res.end();
    });
  };
}
