import type { GraphQLError } from 'graphql';
import { rateLimited } from '../../limits/errors.js';
import { randomBytes } from 'node:crypto';
import type { Redis } from '../../infra/redis.js';

const WINDOW_MS = 60_000;

// A sliding window in one sorted set per seller, checked and taken in one atomic script;
// Redis's clock is used, so api instances with skewed clocks agree.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/** At most `perMinute` imports and exports per seller in any 60 s. */
export class BulkLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
  ) {}

  /** Takes a slot; returns 0 when allowed, else the milliseconds until one frees up. */
  async take(sellerId: string): Promise<number> {
    const key = `${this.prefix}:bulk-limit:${sellerId}`;
    const wait = await this.redis.eval(TAKE, 1, key, WINDOW_MS, this.perMinute, randomBytes(8).toString('hex'));
    return Number(wait);
  }
}

export function bulkRateLimited(retryAfterMs: number, perMinute: number): GraphQLError {
  return rateLimited(`At most ${perMinute} imports and exports per minute; try again in ${Math.ceil(retryAfterMs / 1000)} s`, 'BULK_JOBS', retryAfterMs);
}
