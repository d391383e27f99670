import { Queue, Worker, type ConnectionOptions, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { Config } from '../config.js';

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

/**
 * The queues a process adds jobs to, opened on first use (a process that never enqueues
 * never connects) and closed with the rest of the infrastructure.
 */
export class JobQueues {
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
    await Promise.allSettled(queues.map((q) => q.close()));
  }
}
