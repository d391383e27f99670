import { Redis } from 'ioredis';

export type { Redis };

export function createRedis(url: string, connectionName: string): Redis {
  return new Redis(url, { connectionName, maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
