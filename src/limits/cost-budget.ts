import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';
import { callerKey, type Caller } from './caller.js';

/** What extensions.cost.throttleStatus shows: the caller's bucket after this operation. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export type CostDecision = Readonly<
  { allowed: true; throttleStatus: ThrottleStatus } | { allowed: false; retryAfterMs: number; throttleStatus: ThrottleStatus }
>;

export interface CostBudget {
  /**
   * Takes `cost` points from the caller's bucket if that many are available, else takes
   * nothing and says when they will be. A negative cost gives points back (a refund), up to
   * the maximum; a cost of 0 only reads the bucket.
   */
  charge(caller: Caller, cost: number): Promise<CostDecision>;
}

// A token bucket refilled continuously at restoreRate points/s up to maximumAvailable. One
// atomic script per charge; the clock is Redis's own, so instances with skewed clocks agree.
// Stored: a = points available at t (ms). Returns {allowed, available as a string} (Lua
// numbers come back truncated to integers otherwise).
const CHARGE_LUA = `
local max = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'a', 't')
local available = tonumber(state[1])
local at = tonumber(state[2])
if available == nil or at == nil then
  available = max
  at = now
end
if now > at then
  available = math.min(max, available + (now - at) * rate / 1000)
end
local allowed = 0
if cost <= available then
  available = math.min(max, available - cost)
  allowed = 1
end
redis.call('HSET', KEYS[1], 'a', tostring(available), 't', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((max - available) * 1000 / rate) + 1000)
return { allowed, tostring(available) }
`;

interface BucketScripts {
  amusedCostCharge(key: string, max: number, rate: number, cost: number): Promise<[number, string]>;
}

/** The same bucket in process memory: the fallback while Redis is unreachable. */
class MemoryBuckets {
  private readonly buckets = new Map<string, { available: number; at: number }>();

  constructor(private readonly max: number, private readonly rate: number) {}

  charge(key: string, cost: number): { allowed: boolean; available: number } {
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { available: this.max, at: now };
    bucket.available = Math.min(this.max, bucket.available + ((now - bucket.at) * this.rate) / 1000);
    bucket.at = now;
    const allowed = cost <= bucket.available;
    if (allowed) bucket.available = Math.min(this.max, bucket.available - cost);
    // full buckets carry no information; dropping them bounds the map by the active callers
    if (bucket.available >= this.max) this.buckets.delete(key);
    else this.buckets.set(key, bucket);
    return { allowed, available: bucket.available };
  }
}

export function createCostBudget(
  redis: Redis,
  options: { prefix: string; maximumAvailable: number; restoreRate: number; log: Logger },
): CostBudget {
  const { maximumAvailable: max, restoreRate: rate } = options;
  if (!('amusedCostCharge' in redis)) redis.defineCommand('amusedCostCharge', { numberOfKeys: 1, lua: CHARGE_LUA });
  const scripts = redis as unknown as BucketScripts;
  const memory = new MemoryBuckets(max, rate);
  let warned = false;

  const decide = (allowed: boolean, available: number, cost: number): CostDecision => {
    const throttleStatus = { maximumAvailable: max, currentlyAvailable: Math.floor(available), restoreRate: rate };
    if (allowed) return { allowed: true, throttleStatus };
    return { allowed: false, retryAfterMs: Math.ceil(((cost - available) * 1000) / rate), throttleStatus };
  };

  return {
    async charge(caller, cost) {
      const key = callerKey(caller);
      try {
        if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
        const [allowed, available] = await scripts.amusedCostCharge(`${options.prefix}:limits:cost:${key}`, max, rate, cost);
        warned = false;
        return decide(allowed === 1, Number(available), cost);
      } catch (error) {
        if (!warned) options.log.warn({ err: error }, 'cost budget: Redis unavailable, counting in this process until it is back');
        warned = true;
        const { allowed, available } = memory.charge(key, cost);
        return decide(allowed, available, cost);
      }
    },
  };
}
