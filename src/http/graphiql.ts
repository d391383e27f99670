import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * GraphiQL served entirely from installed packages (graphiql's prebuilt UMD bundle, which
 * already contains graphql-ws, plus React 18's UMD builds): the page works offline.
 *
 * Mount with `app.use(graphiqlRouter({ endpoint: '/graphql' }))` before Apollo. It answers
 * GET <endpoint> when the client prefers text/html, and GET /graphiql/assets/<file>; anything
 * else (POST, JSON GETs, other paths) goes on with next(). Mounted under a path
 * (`app.use('/graphql', router)`) the page is at the mount point and assets below it.
 * `app.get('/graphql', router)` serves the page only: the assets need a `use` mount.
 *
 * CSP needed by the page: script-src 'self' (no inline scripts); style-src 'self'
 * 'unsafe-inline' (GraphiQL and CodeMirror set inline styles); font-src 'self' data: (the CSS
 * embeds its fonts); img-src 'self' data:; connect-src 'self' (plus the ws:/wss: origin if
 * subscriptions are served from another host).
 */
export interface GraphiqlOptions {
  /** Path (or URL) of the GraphQL HTTP endpoint, e.g. '/graphql'. */
  endpoint: string;
  /** Path or URL of the graphql-ws endpoint; defaults to `endpoint`. ws:/wss: follows the page's scheme. */
  subscriptionEndpoint?: string;
  /** Query shown in the first tab on a first visit (GraphiQL remembers tabs in localStorage). */
  defaultQuery?: string;
}

export const DEFAULT_QUERY = `# Amused GraphQL API.
# Authenticate in the Headers tab below:
#   {"Authorization": "Bearer <token>"}
# or open this page with ?token=<token>.

query Products {
  products(first: 10) {
    edges {
      node {
        id
        sku
        name
        price
        quantity
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

// Reads its settings from the #graphiql element's data-* attributes; no inline script needed.
const BOOT_JS = `(function () {
  'use strict';
  var el = document.getElementById('graphiql');
  var data = el.dataset;
  var url = new URL(data.endpoint, location.href);
  var wsUrl = new URL(data.subscriptionEndpoint || data.endpoint, location.href);
  if (wsUrl.protocol === 'http:') wsUrl.protocol = 'ws:';
  if (wsUrl.protocol === 'https:') wsUrl.protocol = 'wss:';

  var params = new URLSearchParams(location.search);
  var token = params.get('token');
  try {
    if (token) localStorage.setItem('amused.token', token);
    else token = localStorage.getItem('amused.token');
  } catch (e) { /* storage disabled */ }
  if (params.has('token')) {
    params.delete('token');
    var rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }

  var base = GraphiQL.createFetcher({
    url: url.href,
    subscriptionUrl: wsUrl.href,
    wsConnectionParams: token ? { authorization: 'Bearer ' + token } : undefined
  });
  // The bundled fetcher opens a graphql-ws client per subscription with connectionParams =
  // wsConnectionParams + the Headers tab. Lower-cased names let an edited Authorization
  // header replace the initial token there; HTTP header names are case-insensitive anyway.
  function fetcher(graphQLParams, opts) {
    var headers = {};
    var given = (opts && opts.headers) || {};
    Object.keys(given).forEach(function (k) { headers[k.toLowerCase()] = given[k]; });
    return base(graphQLParams, Object.assign({}, opts, { headers: headers }));
  }

  var props = { fetcher: fetcher, defaultQuery: data.defaultQuery };
  if (token) {
    props.headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
    props.defaultEditorToolsVisibility = 'headers';
  }
  ReactDOM.createRoot(el).render(React.createElement(GraphiQL, props));
})();
`;

// Without an icon link, browsers ask for /favicon.ico and log a 404 in the console.
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#e535ab"/></svg>';

const ASSET_PREFIX = '/graphiql/assets/';
const CACHE_FOREVER = 'public, max-age=31536000, immutable';

function packageFile(require: NodeJS.Require, pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pathnameOf(endpoint: string): string {
  return new URL(endpoint, 'http://localhost').pathname;
}

export function graphiqlRouter(options: GraphiqlOptions): express.Router {
  const require = createRequire(import.meta.url);
  // graphiql's package "exports" hides its UMD files, so resolve package.json and join.
  const files: Record<string, string> = {
    'react.production.min.js': packageFile(require, 'react', 'umd/react.production.min.js'),
    'react-dom.production.min.js': packageFile(require, 'react-dom', 'umd/react-dom.production.min.js'),
    'graphiql.min.js': packageFile(require, 'graphiql', 'graphiql.min.js'),
    'graphiql.min.css': packageFile(require, 'graphiql', 'graphiql.min.css'),
    // graphiql.min.js ends with `sourceMappingURL=index.umd.js.map`; devtools ask for it.
    'index.umd.js.map': packageFile(require, 'graphiql', 'graphiql.min.js.map'),
  };
  const versions = ['react', 'react-dom', 'graphiql'].map(
    (pkg) => (require(`${pkg}/package.json`) as { version: string }).version,
  );
  // Assets are cached for a year, so their URLs change with the packages and boot.js.
  const v = createHash('sha256').update(versions.join()).update(BOOT_JS).update(FAVICON_SVG).digest('hex').slice(0, 12);

  const page = (base: string): string => {
    const asset = (file: string) => `${base}${ASSET_PREFIX}${file}?v=${v}`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amused · GraphiQL</title>
<link rel="icon" href="${asset('favicon.svg')}">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeAttr(options.endpoint)}" data-subscription-endpoint="${escapeAttr(
      options.subscriptionEndpoint ?? options.endpoint,
    )}" data-default-query="${escapeAttr(options.defaultQuery ?? DEFAULT_QUERY)}">Loading GraphiQL…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('boot.js')}"></script>
</body>
</html>
`;
  };

  const endpointPath = pathnameOf(options.endpoint);
  const router = express.Router();

  router.get('/{*rest}', (req: Request, res: Response, next: NextFunction) => {
    const isPage = req.path === endpointPath || (req.baseUrl !== '' && req.path === '/');
    if (isPage) {
      // Browsers list text/html first; curl (*/*) and GraphQL clients get JSON from Apollo.
      if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') {
        return next();
      }
      res.set('Cache-Control', 'no-cache').type('html').send(page(req.baseUrl));
      return;
    }
    if (!req.path.startsWith(ASSET_PREFIX)) return next();
    const name = req.path.slice(ASSET_PREFIX.length);
    if (name === 'boot.js') {
      res.set('Cache-Control', CACHE_FOREVER).type('text/javascript').send(BOOT_JS);
      return;
    }
    if (name === 'favicon.svg') {
      res.set('Cache-Control', CACHE_FOREVER).type('image/svg+xml').send(FAVICON_SVG);
      return;
    }
    const file = Object.hasOwn(files, name) ? files[name] : undefined;
    if (file === undefined) return next();
    res.sendFile(file, { maxAge: '1y', immutable: true }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });

  return router;
}
