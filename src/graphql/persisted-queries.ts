import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';

/** Apollo's KeyValueCache (from @apollo/utils.keyvaluecache), which this implements. */
export interface StringCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * The automatic-persisted-query cache in Redis, so a query registered through one api instance
 * is found by every other. Keys are `{REDIS_PREFIX}:` + Apollo's `apq:<sha256>`, each kept ttl
 * seconds after it was last registered. A Redis error reads as a miss (the client then sends
 * the full query again) and a failed write is logged.
 */
export function persistedQueryCache(redis: Redis, options: { prefix: string; ttlSeconds: number; log: Logger }): StringCache {
  const key = (k: string) => `${options.prefix}:${k}`;
  return {
    async get(k) {
      try {
        return (await redis.get(key(k))) ?? undefined;
      } catch (err) {
        options.log.warn({ err }, 'persisted queries: Redis read failed; treating it as a miss');
        return undefined;
      }
    },
    async set(k, value, setOptions) {
      const ttl = setOptions?.ttl ?? options.ttlSeconds;
      await redis.set(key(k), value, 'EX', Math.max(1, Math.ceil(ttl)));
    },
    async delete(k) {
      return (await redis.del(key(k))) > 0;
    },
  };
}
