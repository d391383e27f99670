import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';

export type QuotaDecision = Readonly<{ allowed: true } | { allowed: false; retryAfterMs: number }>;

export interface PersistedQueryQuota {
  /**
   * Counts a persisted query the seller registers (its hash) for as long as Apollo keeps it;
   * refused when the seller already holds `maxPerSeller` others, with when the oldest expires.
   * Registering a hash the seller holds renews it.
   */
  register(sellerId: string, hash: string): Promise<QuotaDecision>;
}

// KEYS[1]: the seller's sorted set, hash -> expiry (ms, Redis clock). ARGV: hash, ttl ms, max.
// Returns -1 when allowed, else the ms until the oldest registration expires.
const REGISTER_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) - now)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return -1
`;

interface QuotaScripts {
  amusedApqRegister(key: string, hash: string, ttlMs: number, max: number): Promise<number>;
}

/**
 * How many automatic persisted queries each seller keeps in Redis, shared by every api
 * instance. While Redis is away the registration is let through: Apollo cannot store it then
 * either.
 */
export function createPersistedQueryQuota(redis: Redis, options: { prefix: string; ttlSeconds: number; maxPerSeller: number; log: Logger }): PersistedQueryQuota {
  if (!('amusedApqRegister' in redis)) redis.defineCommand('amusedApqRegister', { numberOfKeys: 1, lua: REGISTER_LUA });
  const scripts = redis as unknown as QuotaScripts;
  return {
    async register(sellerId, hash) {
      try {
        if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
        const wait = await scripts.amusedApqRegister(`${options.prefix}:limits:apq:${sellerId}`, hash, options.ttlSeconds * 1000, options.maxPerSeller);
        return wait < 0 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
      } catch (err) {
        options.log.warn({ err }, 'persisted queries: counting the registration failed; letting it through');
        return { allowed: true };
      }
    },
  };
}
