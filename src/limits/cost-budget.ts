import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.js';
import { callerKey, type Caller } from './caller.js';
import type { RateDecision } from './request-rate.js';

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
  /**
   * Counts one request of the caller against its rate and, if the rate allows it, charges
   * `cost` (0: only reads the bucket): one round trip to Redis for both.
   */
  chargeCountingRequest(caller: Caller, cost: number, rate: RateCount): Promise<CountedCharge>;
  /** Sends the refunds still waiting (see createCostBudget) to Redis now. */
  flush(): Promise<void>;
}

// A token bucket refilled continuously at restoreRate points/s up to maximumAvailable. One
// atomic script per charge; the clock is Redis's own, so instances with skewed clocks agree.
// Stored: a = points available at t (ms). ARGV[4] is a refund credited before the charge (the
// caller's refunds deferred since its last charge). Returns {allowed, available as a string}
// (Lua numbers come back truncated to integers otherwise).
const BUCKET_LUA = `
local function charge_bucket(key, max, rate, cost, refund)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local state = redis.call('HMGET', key, 'a', 't')
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
  redis.call('HSET', key, 'a', tostring(available), 't', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((max - available) * 1000 / rate) + 1000)
  return { allowed, tostring(available) }
end
`;

const CHARGE_LUA = `${BUCKET_LUA}
return charge_bucket(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
`;

// The request rate (request-rate.ts) and the charge in one script, so a request pays one round
// trip for both. The rate part is rate-limiter-flexible's, on its keys (KEYS[2] the one-second
// window, KEYS[3] the burst window): every instance and the library's own checks share the
// counts. A request refused by the rate charges nothing. Returns {rate allowed, ms before the
// window that refused it ends, charge allowed, available as a string}.
const RATE_AND_CHARGE_LUA = `${BUCKET_LUA}
local function count(key, seconds)
  redis.call('set', key, 0, 'EX', seconds, 'NX')
  local consumed = redis.call('incrby', key, 1)
  local ttl = redis.call('pttl', key)
  if ttl == -1 then
    redis.call('expire', key, seconds)
    ttl = 1000 * seconds
  end
  return consumed, ttl
end
local consumed, ttl = count(KEYS[2], tonumber(ARGV[7]))
if consumed > tonumber(ARGV[5]) then
  local burst = tonumber(ARGV[6])
  if burst <= 0 then return { 0, ttl, 0, '' } end
  local burst_consumed, burst_ttl = count(KEYS[3], tonumber(ARGV[8]))
  if burst_consumed > burst then return { 0, math.min(ttl, burst_ttl), 0, '' } end
end
local charged = charge_bucket(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
return { 1, 0, charged[1], charged[2] }
`;

interface BucketScripts {
  amusedCostCharge(key: string, max: number, rate: number, cost: number, refund: number): Promise<[number, string]>;
  amusedRateAndCost(
    costKey: string,
    rateKey: string,
    burstKey: string,
    max: number,
    rate: number,
    cost: number,
    refund: number,
    perSecond: number,
    burst: number,
    windowSeconds: number,
    burstWindowSeconds: number,
  ): Promise<[number, number, number, string]>;
}

/** The request-rate settings and keys the combined script counts with (request-rate.ts owns them). */
export interface RateCount {
  perSecond: number;
  burst: number;
  windowSeconds: number;
  burstWindowSeconds: number;
  rateKey(caller: Caller): string;
  burstKey(caller: Caller): string;
  /** The same count alone (with its in-process fallback), when the combined script cannot run. */
  check(caller: Caller): Promise<RateDecision>;
}

/** The outcome of chargeCountingRequest: the rate's refusal (nothing charged), or the charge's decision. */
export type CountedCharge = Readonly<{ rate: RateDecision & { allowed: false } } | { rate: { allowed: true }; cost: CostDecision }>;

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
  if (!('amusedRateAndCost' in redis)) redis.defineCommand('amusedRateAndCost', { numberOfKeys: 3, lua: RATE_AND_CHARGE_LUA });
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

  async function charge(caller: Caller, cost: number): Promise<CostDecision> {
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
  }

  return {
    flush,
    charge,
    async chargeCountingRequest(caller, cost, rateCount) {
      const key = callerKey(caller);
      if (redis.status === 'ready') {
        const refund = pendingRefunds.get(key) ?? 0;
        pendingRefunds.delete(key);
        try {
          const [rateAllowed, msBeforeNext, allowed, available] = await scripts.amusedRateAndCost(
            redisKey(key),
            rateCount.rateKey(caller),
            rateCount.burstKey(caller),
            max,
            rate,
            cost,
            refund,
            rateCount.perSecond,
            rateCount.burst,
            rateCount.windowSeconds,
            rateCount.burstWindowSeconds,
          );
          warned = false;
          if (rateAllowed !== 1) {
            // the refund was taken out of the waiting list but the script returned before crediting it
            if (refund > 0) pendingRefunds.set(key, (pendingRefunds.get(key) ?? 0) + refund);
            return { rate: { allowed: false, retryAfterMs: Math.max(1, msBeforeNext) } };
          }
          remember(key, Number(available));
          return { rate: { allowed: true }, cost: decide(allowed === 1, Number(available), cost) };
        } catch (error) {
          unavailable(error);
          if (refund > 0) pendingRefunds.set(key, (pendingRefunds.get(key) ?? 0) + refund);
        }
      }
      // Redis away: each part on its own, each with its in-process fallback
      const counted = await rateCount.check(caller);
      if (!counted.allowed) return { rate: counted };
      return { rate: counted, cost: await charge(caller, cost) };
    },
  };
}
