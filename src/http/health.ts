import { Router } from 'express';
import type { Database } from '../infra/prisma.js';
import type { Redis } from '../infra/redis.js';

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);
}

/** /healthz: the process is up. /readyz: it can reach PostgreSQL and Redis. */
export function healthRouter(deps: { db: Database; redis: Redis; isShuttingDown: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.allSettled([within(2000, deps.db.$queryRaw`SELECT 1`), within(2000, deps.redis.ping())]);
    const checks = { postgres: postgres.status === 'fulfilled' ? 'ok' : 'down', redis: redis.status === 'fulfilled' ? 'ok' : 'down' };
    const ready = !deps.isShuttingDown() && checks.postgres === 'ok' && checks.redis === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks, shuttingDown: deps.isShuttingDown() });
  });
  return router;
}
