import { Router } from 'express';

interface Link {
  href: string;
  label: string;
  about: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GET /: a page of links to what this server offers. Plain HTML with no script, so it runs
 * under the CSP of src/http/security.ts; every link is to this server.
 */
export function landingRouter(options: { graphiqlEnabled: boolean; documents: readonly string[] }): Router {
  const links: Link[] = [
    options.graphiqlEnabled
      ? { href: '/graphql', label: 'GraphiQL', about: 'explore and run queries, mutations and subscriptions (POST /graphql for clients)' }
      : { href: '/graphql', label: '/graphql', about: 'the GraphQL endpoint (POST; GraphiQL is turned off here)' },
    { href: '/dashboard', label: 'Dashboard', about: 'live stock levels of your products' },
    { href: '/healthz', label: '/healthz', about: 'liveness' },
    { href: '/readyz', label: '/readyz', about: 'readiness: PostgreSQL and Redis reachable' },
    ...options.documents.map((name) => ({ href: `/docs/${name}`, label: name, about: name === 'README.md' ? 'getting started, API, settings' : 'documentation' })),
  ];
  const items = links
    .map((link) => `      <li><a href="${escape(link.href)}">${escape(link.label)}</a> — ${escape(link.about)}</li>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Amused</title>
    <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}li{margin:.4rem 0}</style>
  </head>
  <body>
    <h1>Amused</h1>
    <p>A GraphQL API for sellers' products, stock, orders and reservations.</p>
    <ul>
${items}
    </ul>
  </body>
</html>
`;
  const router = Router();
  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html);
  });
  return router;
}
