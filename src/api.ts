import express, { type RequestHandler } from 'express';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApollo } from './graphql/apollo.js';
import { createAuthenticator } from './graphql/auth.js';
import type { Context } from './graphql/context.js';
import { buildAppSchema } from './graphql/schema.js';
import { sseHandlers } from './graphql/transports/sse.js';
import { SubscriptionGroups } from './graphql/transports/subscription-groups.js';
import { attachWebSocket } from './graphql/transports/websocket.js';
import { dashboardRouter } from './http/dashboard.js';
import { docsRouter, documentNames } from './http/docs.js';
import { landingRouter } from './http/landing.js';
import { notFound } from './http/not-found.js';
import { apolloHandler, apolloRunner, type ApolloContextFunction } from './http/apollo-handler.js';
import { bulkTransferRouter } from './http/bulk-transfer.js';
import { graphiqlRouter } from './http/graphiql.js';
import { httpErrorHandler } from './http/graphql-errors.js';
import { graphqlFastPath, isFastGraphqlRequest } from './http/graphql-fast-path.js';
import { clientIpOf, graphqlFastGuards, graphqlGuards, uncountedRequestOf, viewerOf } from './http/graphql-guards.js';
import { healthRouter } from './http/health.js';
import { createMetrics } from './http/metrics.js';
import { noteRequestSeller, requestLog, requestLogger } from './http/request-log.js';
import { checkGatewaySecret, corsHeaderWriter, corsPolicy, gatewaySecretGuard, securityHeaders, securityHeaderWriter } from './http/security.js';
import { closeIdleWebSockets, createBoundedServer } from './http/slow-clients.js';
import type { Infra } from './infra/connect.js';
import { apolloLimitOptions, limitsPlugin } from './limits/apollo-plugin.js';
import { createLimits } from './limits/limits.js';
import type { Services } from './services.js';

export interface RunningApi {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish, then closes the listener. */
  stop: () => Promise<void>;
}

export async function startApi(infra: Infra, services: Services, options: { port?: number } = {}): Promise<RunningApi> {
  const { config, log } = infra;
  const schema = await buildAppSchema(infra.bus.topics());
  const authenticate = createAuthenticator(config.auth, { credentials: services.accounts.credentials });
  const limits = await createLimits(config, log);
  const app = express();
  // POST /graphql, the API's own traffic, is served ahead of Express once Apollo is up (graphqlFastPath)
  let fastGraphql: RequestListener | undefined;
  const server = createBoundedServer((req, res) => {
    if (fastGraphql && isFastGraphqlRequest(req)) fastGraphql(req, res);
    else app(req, res);
  }, config.timeouts);
  let stopping = false;

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  const cors = corsPolicy(config.corsOrigins);
  app.use(cors);
  const gatewaySecret = config.auth.mode === 'gateway' ? config.auth.gatewaySecret : undefined;
  if (gatewaySecret) app.use(gatewaySecretGuard(gatewaySecret));
  const metrics = createMetrics(config.metricsToken ? { token: config.metricsToken } : { open: config.env !== 'production' });
  const requestLogOptions = { slowMs: config.slowRequestMs };
  app.use(requestLog(log, requestLogOptions));
  app.use((req, res, next) => {
    metrics.timeRequest(req, res, () => req.route?.path ?? req.baseUrl ?? 'other');
    next();
  });
  const groups = new SubscriptionGroups(log, metrics.registry);
  // ROLE=live serves subscriptions only (and health, metrics): requests go to ROLE=api instances
  const liveOnly = config.role === 'live';
  const live = { services, log, schema, authenticate, limits, buffers: config.subscriptions, groups, subscriptionsOnly: liveOnly, introspection: config.introspectionEnabled };
  const websocket = attachWebSocket({ ...live, server });
  closeIdleWebSockets(websocket.wss, config.timeouts.webSocketIdleMs);

  const apollo = liveOnly
    ? undefined
    : createApollo(schema, server, log, [limitsPlugin(limits)], { ...apolloLimitOptions(limits, config, log), introspection: config.introspectionEnabled });
  let graphql: RequestHandler[] = [];
  if (apollo) {
    await apollo.start();
    const context: ApolloContextFunction<Context> = async ({ req, res }) => {
      const viewer = viewerOf(req);
      noteRequestSeller(res, viewer?.sellerId);
      return {
        requestId: req.id,
        viewer,
        clientIp: clientIpOf(req),
        uncounted: uncountedRequestOf(req),
        services,
        // a child logger only for the requests that log something
        get log() {
          return req.log;
        },
      };
    };
    const guardDeps = { authenticate, limits, deferRate: true };
    graphql = [...graphqlGuards(guardDeps), apolloHandler(apollo, context)];
    // the API's own traffic first: a POST to /graphql matches no other route, so it skips them
    app.post('/graphql', ...graphql);
    fastGraphql = graphqlFastPath({
      writeSecurityHeaders: securityHeaderWriter(),
      writeCorsHeaders: corsHeaderWriter(cors),
      checkGatewaySecret: gatewaySecret ? checkGatewaySecret(gatewaySecret) : undefined,
      startRequestLog: requestLogger(log, requestLogOptions),
      timeRequest: metrics.timeRequest,
      trustProxy: app.get('trust proxy fn') as (address: string, hop: number) => boolean,
      guards: graphqlFastGuards(guardDeps),
      runApollo: apolloRunner(apollo, context),
      log,
    });
  }

  app.use(healthRouter({ db: infra.db, redis: infra.redis, isShuttingDown: () => stopping }));
  app.use(metrics.router);
  if (!liveOnly) {
    if (config.graphiqlEnabled) app.use(graphiqlRouter({ endpoint: '/graphql' }));
    app.use(dashboardRouter());
    app.use(landingRouter({ graphiqlEnabled: config.graphiqlEnabled, documents: documentNames() }));
    app.use(docsRouter());
    app.use(bulkTransferRouter({ authenticate, services, log, importMaxBytes: config.jobs.importMaxBytes, bulkPerMinute: config.jobs.bulkPerMinute }));
  }
  // before the /graphql middleware, which would otherwise claim /graphql/stream
  app.use('/graphql/stream', ...sseHandlers(live));
  // GET (after GraphiQL, which answers browsers there) and everything else Apollo answers
  if (apollo) app.use('/graphql', ...graphql);
  app.use(notFound());
  app.use(httpErrorHandler(log));

  await new Promise<void>((resolve) => server.listen(options.port ?? config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  log.info({ host: config.host, port }, `api listening on http://${config.host}:${port}/graphql`);

  return {
    server,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      stopping = true;
      await websocket.close();
      await apollo?.stop();
      await limits.close();
    },
  };
}
