import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { callerKey, type Caller } from './caller.js';
import type { RateCount } from './cost-budget.js';

/** The burst allowance refills over this window (seconds). */
export const BURST_WINDOW_SECONDS = 10;

export type RateDecision = Readonly<{ allowed: true } | { allowed: false; retryAfterMs: number }>;

export interface RequestRateLimiter {
  /** Counts one request of the caller; refuses it when the caller is over its rate and burst. */
  check(caller: Caller): Promise<RateDecision>;
  /** The same count for a script that also charges the request's cost (cost-budget.ts): one round trip for both. */
  readonly counting: RateCount;
}

/**
 * A request of a seller whose rate is counted as late as possible, so that it can go to Redis in
 * the same round trip as the operation's cost charge (Limits.admitOperation). Whatever step gets
 * to it first counts it, once; a request that never reaches the admission is counted before its
 * answer is sent (src/http/graphql-guards.ts, the limits plugin).
 */
export class UncountedRequest {
  private counted = false;

  constructor(readonly caller: Caller) {}

  /** True the first time only: the caller that gets true counts the request. */
  take(): boolean {
    if (this.counted) return false;
    this.counted = true;
    return true;
  }
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
  const check = async (caller: Caller): Promise<RateDecision> => {
    try {
      await limiter.consume(callerKey(caller), 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      throw rejection;
    }
  };
  return {
    check,
    counting: {
      perSecond: options.requestsPerSecond,
      burst: options.burst,
      windowSeconds: 1,
      burstWindowSeconds: BURST_WINDOW_SECONDS,
      // rate-limiter-flexible's keys: `${keyPrefix}:${key}`
      rateKey: (caller) => `${options.prefix}:limits:rate:${callerKey(caller)}`,
      burstKey: (caller) => `${options.prefix}:limits:burst:${callerKey(caller)}`,
      check,
    },
  };
}
