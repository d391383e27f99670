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
  /** Sends the refunds still waiting (see createCostBudget) to Redis now. */
  flush(): Promise<void>;
}

// A token bucket refilled continuously at restoreRate points/s up to maximumAvailable. One
// atomic script per charge; the clock is Redis's own, so instances with skewed clocks agree.
// Stored: a = points available at t (ms). ARGV[4] is a refund credited before the charge (the
// caller's refunds deferred since its last charge). Returns {allowed, available as a string}
// (Lua numbers come back truncated to integers otherwise).
const CHARGE_LUA = `
local max = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local refund = tonumber(ARGV[4])
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
available = math.min(max, available + refund)
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
  amusedCostCharge(key: string, max: number, rate: number, cost: number, refund: number): Promise<[number, string]>;
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

/** How long a refund may wait for the caller's next charge before it is sent on its own. */
const REFUND_FLUSH_MS = 100;
/** Callers whose last known balance is kept, for answering a deferred refund. */
const KNOWN_BALANCES = 10_000;

/**
 * The bucket in Redis, with the in-process fallback. A refund (negative cost) costs no round
 * trip of its own: it waits, per caller, and rides on that caller's next charge (the script
 * credits it first), or goes with every other waiting refund in one pipeline after
 * REFUND_FLUSH_MS. Its answer is the caller's last known balance plus the refund.
 */
export function createCostBudget(
  redis: Redis,
  options: { prefix: string; maximumAvailable: number; restoreRate: number; log: Logger },
): CostBudget {
  const { maximumAvailable: max, restoreRate: rate } = options;
  if (!('amusedCostCharge' in redis)) redis.defineCommand('amusedCostCharge', { numberOfKeys: 1, lua: CHARGE_LUA });
  const scripts = redis as unknown as BucketScripts;
  const memory = new MemoryBuckets(max, rate);
  const pendingRefunds = new Map<string, number>();
  const knownBalances = new Map<string, { available: number; at: number }>();
  let flushTimer: NodeJS.Timeout | undefined;
  let warned = false;

  const redisKey = (key: string) => `${options.prefix}:limits:cost:${key}`;
  const decide = (allowed: boolean, available: number, cost: number): CostDecision => {
    const throttleStatus = { maximumAvailable: max, currentlyAvailable: Math.floor(available), restoreRate: rate };
    if (allowed) return { allowed: true, throttleStatus };
    return { allowed: false, retryAfterMs: Math.ceil(((cost - available) * 1000) / rate), throttleStatus };
  };
  const remember = (key: string, available: number) => {
    knownBalances.delete(key);
    if (knownBalances.size >= KNOWN_BALANCES) knownBalances.delete(knownBalances.keys().next().value!);
    knownBalances.set(key, { available, at: Date.now() });
  };
  const unavailable = (error: unknown) => {
    if (!warned) options.log.warn({ err: error }, 'cost budget: Redis unavailable, counting in this process until it is back');
    warned = true;
  };

  async function flush(): Promise<void> {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pendingRefunds.size === 0) return;
    const refunds = [...pendingRefunds];
    pendingRefunds.clear();
    try {
      if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
      const pipeline = redis.pipeline();
      for (const [key, points] of refunds) (pipeline as unknown as BucketScripts).amusedCostCharge(redisKey(key), max, rate, 0, points);
      await pipeline.exec();
    } catch (error) {
      unavailable(error);
      for (const [key, points] of refunds) memory.charge(key, -points);
    }
  }

  function deferRefund(key: string, points: number): CostDecision {
    pendingRefunds.set(key, (pendingRefunds.get(key) ?? 0) + points);
    flushTimer ??= setTimeout(() => void flush(), REFUND_FLUSH_MS).unref();
    const known = knownBalances.get(key);
    const refilled = known ? known.available + ((Date.now() - known.at) * rate) / 1000 : max;
    return decide(true, Math.min(max, refilled + points), 0);
  }

  return {
    flush,
    async charge(caller, cost) {
      const key = callerKey(caller);
      if (cost < 0 && redis.status === 'ready') return deferRefund(key, -cost);
      const refund = pendingRefunds.get(key) ?? 0;
      pendingRefunds.delete(key);
      try {
        if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
        const [allowed, available] = await scripts.amusedCostCharge(redisKey(key), max, rate, cost, refund);
        warned = false;
        remember(key, Number(available));
        return decide(allowed === 1, Number(available), cost);
      } catch (error) {
        unavailable(error);
        if (refund > 0) memory.charge(key, -refund);
        const { allowed, available } = memory.charge(key, cost);
        return decide(allowed, available, cost);
      }
    },
  };
}
