import { Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { holdBatchSeconds, holdBatchSize, holdQueueSeconds } from '../modules/inventory/hold-metrics.js';
import { secretMatches } from './security.js';

/**
 * /metrics access: with a token, only `Authorization: Bearer <token>`; without one, open outside
 * production (local scraping) and absent (404) in production, so it is never public by default.
 */
export type MetricsAccess = { token: string } | { open: boolean };

export function createMetrics(access: MetricsAccess) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  for (const metric of [holdBatchSize, holdBatchSeconds, holdQueueSeconds]) registry.registerMetric(metric);
  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if ('open' in access && !access.open) return next();
    if ('token' in access) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
      if (!secretMatches(match?.[1], access.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        return void res.status(401).json({ errors: [{ message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>', extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  /** Observes the request's duration once its response is sent, under the route `routeOf` names then. */
  const timeRequest = (req: IncomingMessage, res: ServerResponse, routeOf: () => string): void => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: routeOf(), status: res.statusCode }));
  };
  return { registry, httpDuration, router, timeRequest };
}
