// node --import @swc-node/register/esm-register scripts/queues.ts [--failed <queue>] [--limit 20]
// Prints the job counts of every BullMQ queue under REDIS_PREFIX; with --failed, the failed jobs
// of one queue with their reasons (failed jobs are kept for this).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createQueue } from '../src/infra/queues.js';
import { ANALYTICS_PASS_QUEUE, ANALYTICS_QUEUE } from '../src/modules/analytics/analytics.jobs.js';
import { BULK_QUEUE } from '../src/modules/bulk/bulk.jobs.js';
import { INTELLIGENCE_QUEUE } from '../src/modules/intelligence/intelligence.jobs.js';
import { NOTIFICATION_QUEUE } from '../src/modules/notifications/notification.queue.js';
import { WEBHOOK_QUEUE } from '../src/modules/webhooks/webhook.jobs.js';

const QUEUES = [BULK_QUEUE, WEBHOOK_QUEUE, ANALYTICS_QUEUE, ANALYTICS_PASS_QUEUE, NOTIFICATION_QUEUE, INTELLIGENCE_QUEUE];
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'paused'] as const;

const { values } = parseArgs({ options: { failed: { type: 'string' }, limit: { type: 'string', default: '20' } } });
const config = loadConfig();
const queues = QUEUES.map((name) => createQueue(config, name));
try {
  if (values.failed) {
    const queue = queues.find((q) => q.name === values.failed);
    if (!queue) throw new Error(`unknown queue ${values.failed}; one of ${QUEUES.join(', ')}`);
    for (const job of await queue.getFailed(0, Number(values.limit) - 1)) {
      console.log(`${job.id}  attempts ${job.attemptsMade}  ${new Date(job.finishedOn ?? job.timestamp).toISOString()}  ${job.failedReason}`);
    }
  } else {
    const rows = await Promise.all(queues.map(async (q) => ({ queue: q.name, ...(await q.getJobCounts(...STATES)) })));
    console.log(`queues under ${config.redisPrefix}:bull`);
    console.table(rows);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await Promise.all(queues.map((q) => q.close()));
}
