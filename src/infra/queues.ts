import { DelayedError, Queue, Worker, type ConnectionOptions, type Job, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { Config } from '../config.js';
import type { Logger } from './logger.js';
import type { SellerSlots } from './seller-slots.js';

/**
 * BullMQ gets connection options, not our ioredis clients: it then owns (and closes)
 * its connections, so a closed queue or worker never keeps the process alive.
 */
export function bullConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

const prefix = (config: Config) => `${config.redisPrefix}:bull`;

export function createQueue<T>(config: Config, name: string, options: Omit<QueueOptions, 'connection'> = {}): Queue<T> {
  return new Queue<T>(name, { ...options, connection: bullConnection(config.redisUrl), prefix: prefix(config) });
}

export function createWorker<T>(config: Config, name: string, processor: Processor<T>, options: Omit<WorkerOptions, 'connection'> = {}): Worker<T> {
  return new Worker<T>(name, processor, { ...options, connection: bullConnection(config.redisUrl), prefix: prefix(config) });
}

/** The process's queue producers: one Queue per name, opened on first use, closed with the infra. */
export class Queues {
  private readonly open = new Map<string, Queue>();

  constructor(private readonly config: Config) {}

  get<T>(name: string): Queue<T> {
    let queue = this.open.get(name);
    if (!queue) {
      queue = createQueue(this.config, name);
      this.open.set(name, queue);
    }
    return queue as Queue<T>;
  }

  async close(): Promise<void> {
    const queues = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(queues.map((queue) => queue.close()));
  }
}

/**
 * Closes a worker letting its active jobs finish; after graceMs it cuts its connections, since a
 * worker whose blocking connection is still reconnecting (Redis restarted) can wait forever.
 * A job cut short that way is retried by another worker (every job is idempotent).
 */
export async function closeWorker(worker: Worker, graceMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = worker.close().then(() => true);
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
  });
  const closed = await Promise.race([graceful, late]);
  clearTimeout(timer);
  if (closed) return;
  // a second close() would return the pending one, which may never settle: cut the connections
  graceful.catch(() => undefined);
  await worker.disconnect();
}

export interface SellerFairness<T> {
  slots: SellerSlots;
  /** The seller a job works for; null runs it without a slot (jobs queued before sellers were recorded). */
  sellerOf: (job: Job<T>) => string | null;
  /** How long a job whose seller has no free slot waits before it is picked again. */
  retryMs: number;
  log: Logger;
}

/**
 * Per-seller concurrency on top of a plain BullMQ queue (no Pro groups): a job whose seller
 * already holds all its slots goes back to the queue as delayed (not an attempt), and the worker
 * takes the next job, another seller's. Jobs come out in order, so sellers take turns.
 */
export function fairProcessor<T>(fairness: SellerFairness<T>, processor: Processor<T>): Processor<T> {
  const { slots, sellerOf, retryMs, log } = fairness;
  return async (job, token) => {
    const sellerId = sellerOf(job);
    if (sellerId === null || job.id === undefined) return processor(job, token);
    const holder = job.id;
    if (!(await slots.take(sellerId, holder))) {
      await job.moveToDelayed(Date.now() + retryMs, token);
      throw new DelayedError();
    }
    const renewal = setInterval(() => {
      slots.take(sellerId, holder).catch((err: unknown) => log.warn({ err, sellerId }, 'seller slot not renewed'));
    }, slots.holdMs / 3);
    try {
      return await processor(job, token);
    } finally {
      clearInterval(renewal);
      await slots.release(sellerId, holder).catch((err: unknown) => log.warn({ err, sellerId }, 'seller slot not released; it expires'));
    }
  };
}
