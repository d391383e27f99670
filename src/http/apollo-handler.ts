import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from './send.js';

/** The query string of a request URL with its `?` (what Apollo calls `search`), without any fragment. */
export function searchOf(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return '';
  const fragment = url.indexOf('#', query);
  return fragment === -1 ? url.slice(query) : url.slice(query, fragment);
}

const CHARSET = /;\s*charset=/i;

/** What the GraphQL context is built from: Node's request and response. */
export type ApolloContextFunction<TContext extends BaseContext> = ContextFunction<[{ req: IncomingMessage; res: ServerResponse }], TContext>;

/**
 * Apollo Server over Node's request and response: what @as-integrations/express5 does, minus the
 * work no GraphQL response needs. It answered with `res.send`, which hashes every body for an
 * ETag and checks request freshness (a POST is never answered 304), and parsed the URL with the
 * legacy `url.parse`. The body must have been read first (req.body), as with the integration.
 */
export function apolloRunner<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  context: ApolloContextFunction<TContext>,
): (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void> {
  server.assertStarted('apolloHandler()');
  return async (req, res) => {
    if (!('body' in req)) {
      sendText(res, 500, 'text/html', '`req.body` is not set: the JSON body parser must run before the Apollo handler.');
      return;
    }
    const headers = new HeaderMap();
    for (const key in req.headers) {
      const value = req.headers[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!.toUpperCase(), headers, search: searchOf(req.url!), body: req.body },
      context: () => context({ req, res }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      const type = res.getHeader('content-type');
      if (typeof type === 'string' && !CHARSET.test(type)) res.setHeader('content-type', `${type}; charset=utf-8`);
      else if (type === undefined) res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      (res as ServerResponse & { flush?: () => void }).flush?.();
    }
    res.end();
  };
}

/** apolloRunner as an Express handler; express.json must have run first. */
export function apolloHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, context: ApolloContextFunction<TContext>): RequestHandler {
  const run = apolloRunner(server, context);
  return async (req, res) => {
    await run(req, res);
  };
}
