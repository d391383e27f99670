import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

/** The query string of a request URL with its `?` (what Apollo calls `search`), without any fragment. */
export function searchOf(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return '';
  const fragment = url.indexOf('#', query);
  return fragment === -1 ? url.slice(query) : url.slice(query, fragment);
}

const CHARSET = /;\s*charset=/i;

/**
 * Apollo Server as an Express handler: what @as-integrations/express5 does, minus the work no
 * GraphQL response needs. It answered with `res.send`, which hashes every body for an ETag and
 * checks request freshness (a POST is never answered 304), and parsed the URL with the legacy
 * `url.parse`. The body of `express.json` must have run first, as with the integration.
 */
export function apolloHandler<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  context: ContextFunction<[{ req: Request; res: Response }], TContext>,
): RequestHandler {
  server.assertStarted('apolloHandler()');
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500).send('`req.body` is not set: the JSON body parser must run before the Apollo handler.');
      return;
    }
    const headers = new HeaderMap();
    for (const key in req.headers) {
      const value = req.headers[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: searchOf(req.url), body: req.body },
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
      (res as Response & { flush?: () => void }).flush?.();
    }
    res.end();
  };
}
