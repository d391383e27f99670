import type { Config } from '../config.js';
import { createLogger, type Logger } from './logger.js';
import { createDatabase, type Database } from './prisma.js';
import { Queues } from './queues.js';
import { createRedis, type Redis } from './redis.js';

/** The process's connections to the outside world. */
export interface Infra {
  config: Config;
  log: Logger;
  db: Database;
  redis: Redis;
  /** BullMQ producers; workers open their own connections. */
  queues: Queues;
}

export function connectInfra(config: Config, log: Logger = createLogger(config.logLevel)): Infra {
  return {
    config,
    log,
    db: createDatabase(config.databaseUrl, config.databasePoolSize),
    redis: createRedis(config.redisUrl, 'amused'),
    queues: new Queues(config),
  };
}

export async function closeInfra(infra: Infra): Promise<void> {
  await Promise.allSettled([infra.queues.close(), infra.db.$disconnect(), infra.redis.quit()]);
}
