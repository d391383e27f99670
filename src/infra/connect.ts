import type { Config } from '../config.js';
import { EventBus } from '../modules/events/live/event-bus.js';
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
  /** Live fan-out of committed events between the relay and api instances. */
  bus: EventBus;
  /** BullMQ producers (reservation expiry, imports, exports, webhook and analytics deliveries); workers open their own connections. */
  queues: Queues;
}

export function connectInfra(config: Config, log: Logger = createLogger(config.logLevel)): Infra {
  return {
    config,
    log,
    db: createDatabase(config.databaseUrl, config.databasePoolSize, config.databaseAdmission),
    redis: createRedis(config.redisUrl, 'amused', log),
    bus: new EventBus(config.redisUrl, config.redisPrefix, log),
    queues: new Queues(config),
  };
}

export async function closeInfra(infra: Infra): Promise<void> {
  await infra.queues.close();
  await Promise.allSettled([infra.db.$disconnect(), infra.redis.quit(), infra.bus.close()]);
}
