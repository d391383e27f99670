import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { callerKey, type Caller } from './caller.js';

/** The burst allowance refills over this window (seconds). */
export const BURST_WINDOW_SECONDS = 10;

export type RateDecision = Readonly<{ allowed: true } | { allowed: false; retryAfterMs: number }>;

export interface RequestRateLimiter {
  /** Counts one request of the caller; refuses it when the caller is over its rate and burst. */
  check(caller: Caller): Promise<RateDecision>;
}

/**
 * requestsPerSecond per caller in fixed one-second windows, plus `burst` extra requests per
 * BURST_WINDOW_SECONDS, counted in Redis (atomic INCR + expiry in one Lua call) so every api
 * instance shares the count. When Redis fails, each instance counts in memory with the same
 * settings (the insurance limiter), so an outage loosens the limit instead of refusing everyone.
 */
export function createRequestRateLimiter(redis: Redis, options: { prefix: string; requestsPerSecond: number; burst: number }): RequestRateLimiter {
  const perSecond = { points: options.requestsPerSecond, duration: 1 };
  const rate = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${options.prefix}:limits:rate`,
    rejectIfRedisNotReady: true,
    ...perSecond,
    insuranceLimiter: new RateLimiterMemory(perSecond),
  });
  let limiter: Pick<RateLimiterRedis, 'consume'> = rate;
  if (options.burst > 0) {
    const burstWindow = { points: options.burst, duration: BURST_WINDOW_SECONDS };
    const burst = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.prefix}:limits:burst`,
      rejectIfRedisNotReady: true,
      ...burstWindow,
      insuranceLimiter: new RateLimiterMemory(burstWindow),
    });
    limiter = new BurstyRateLimiter(rate, burst);
  }
  return {
    async check(caller) {
      try {
        await limiter.consume(callerKey(caller), 1);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        throw rejection;
      }
    },
  };
}
