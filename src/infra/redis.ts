import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

export type { Redis };

/** An ioredis client that reconnects forever and reports connection trouble to the log. */
export function createRedis(url: string, connectionName: string, log?: Logger): Redis {
  const client = new Redis(url, { connectionName, maxRetriesPerRequest: null, enableReadyCheck: true });
  client.on('error', (err: Error) => log?.warn({ err, connectionName }, 'redis: connection error'));
  return client;
}
