import { Router } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { holdBatchSeconds, holdBatchSize, holdQueueSeconds } from '../modules/inventory/hold-metrics.js';

export function createMetrics() {
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
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return { registry, httpDuration, router };
}
