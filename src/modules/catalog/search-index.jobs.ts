import type { Infra } from '../../infra/connect.js';
import { closeWorker, createQueue, createWorker } from '../../infra/queues.js';
import type { WorkerPart } from '../../worker.js';
import { indexQueuedProducts } from './search-index.repository.js';

export const SEARCH_INDEX_QUEUE = 'search-index';
const SCHEDULER_ID = 'drain';

/**
 * Indexes queued products in batches of `batchRows` (one statement each) until the queue is
 * drained or the worker stops. The queue lives in PostgreSQL: a run cut short leaves the rest to the next.
 */
export async function drainSearchQueue(infra: Pick<Infra, 'db'>, batchRows: number, stopping: () => boolean = () => false): Promise<number> {
  let indexed = 0;
  for (;;) {
    const taken = await indexQueuedProducts(infra.db, batchRows);
    indexed += taken;
    if (taken < batchRows || stopping()) return indexed;
  }
}

/**
 * Every SEARCH_INDEX_INTERVAL_MS a BullMQ job scheduler queues one drain (one at a time per
 * worker; several workers take disjoint queue rows).
 */
export function startSearchIndexer(infra: Infra): WorkerPart {
  const { config, log } = infra;
  let stopping = false;
  const queue = createQueue(config, SEARCH_INDEX_QUEUE);
  const scheduled = queue
    .upsertJobScheduler(SCHEDULER_ID, { every: config.searchIndex.intervalMs }, { name: SCHEDULER_ID, opts: { removeOnComplete: true, removeOnFail: 100 } })
    .catch((err: unknown) => log.error({ err }, 'search index scheduler could not be set'));
  const worker = createWorker(
    config,
    SEARCH_INDEX_QUEUE,
    async () => {
      const indexed = await drainSearchQueue(infra, config.searchIndex.batchRows, () => stopping);
      if (indexed > 0) log.debug({ indexed }, 'search index caught up');
      return { indexed };
    },
    { concurrency: 1 },
  );
  worker.on('failed', (job, err) => log.error({ err, jobId: job?.id }, 'search index job failed'));
  worker.on('error', (err) => log.error({ err }, 'search index worker error'));
  return {
    name: 'search-index',
    stop: async () => {
      stopping = true;
      await scheduled;
      await closeWorker(worker);
      await queue.close();
    },
  };
}
