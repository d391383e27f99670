import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../infra/logger.js';
import { rateLimited } from './errors.js';

/** A held subscription slot; release() is idempotent. */
export interface SubscriptionSlot {
  release(): Promise<void>;
}

export type SlotDecision = Readonly<{ allowed: true; slot: SubscriptionSlot } | { allowed: false; error: GraphQLError }>;

export interface SubscriptionSlots {
  /**
   * Takes one of the seller's concurrent-subscription slots (across all instances) and one of
   * the connection's (this instance). Refused with RATE_LIMITED when either cap is reached.
   */
  acquire(sellerId: string, connectionId: string): Promise<SlotDecision>;
  /** Releases every slot the connection still holds: call it when the socket or stream closes. */
  releaseConnection(connectionId: string): Promise<void>;
  /** Slots this instance holds for the seller (for tests and metrics). */
  heldBy(sellerId: string): number;
  /** Stops the heartbeat and releases every slot this instance holds. */
  close(): Promise<void>;
}

/** A lease outlives its last heartbeat by this long, so a crashed instance's slots free themselves. */
export const SLOT_LEASE_MS = 30_000;

// KEYS[1]: the seller's sorted set of leases, member -> expiry (ms, Redis clock).
// ARGV: member, lease ms, max. Drops expired leases, then adds the member if under max.
const ACQUIRE_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`;

// KEYS[1]: as above. ARGV: lease ms, members... Extends the leases that still exist.
const RENEW_LUA = `
local time = redis.call('TIME')
local expiry = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`;

interface SlotScripts {
  amusedSlotAcquire(key: string, member: string, leaseMs: number, max: number): Promise<number>;
  amusedSlotRenew(key: string, leaseMs: number, ...members: string[]): Promise<number>;
}

/**
 * Concurrent subscriptions: per seller across instances, as leases in a Redis sorted set that
 * each instance renews every SLOT_LEASE_MS / 3 while the subscription lives (so a crash frees
 * its slots within SLOT_LEASE_MS); per connection in this process, because a connection lives
 * on one instance. If Redis fails, the per-seller cap is counted per instance until it is back.
 */
export function createSubscriptionSlots(
  redis: Redis,
  options: { prefix: string; maxPerSeller: number; maxPerConnection: number; log: Logger; leaseMs?: number },
): SubscriptionSlots {
  const leaseMs = options.leaseMs ?? SLOT_LEASE_MS;
  if (!('amusedSlotAcquire' in redis)) {
    redis.defineCommand('amusedSlotAcquire', { numberOfKeys: 1, lua: ACQUIRE_LUA });
    redis.defineCommand('amusedSlotRenew', { numberOfKeys: 1, lua: RENEW_LUA });
  }
  const scripts = redis as unknown as SlotScripts;
  const instance = randomUUID();
  const keyOf = (sellerId: string) => `${options.prefix}:limits:subscriptions:${sellerId}`;
  /** sellerId -> members held by this instance; `local` marks those counted only here (Redis was down). */
  const bySeller = new Map<string, Map<string, { local: boolean }>>();
  const byConnection = new Map<string, Map<string, SubscriptionSlot>>();

  const heartbeat = setInterval(() => {
    for (const [sellerId, members] of bySeller) {
      const shared = [...members].filter(([, m]) => !m.local).map(([member]) => member);
      if (shared.length === 0 || redis.status !== 'ready') continue;
      scripts.amusedSlotRenew(keyOf(sellerId), leaseMs, ...shared).catch((err: unknown) => options.log.warn({ err }, 'subscription slots: renewing leases failed'));
    }
  }, Math.max(10, Math.floor(leaseMs / 3)));
  heartbeat.unref();

  const forget = (sellerId: string, member: string) => {
    const members = bySeller.get(sellerId);
    members?.delete(member);
    if (members?.size === 0) bySeller.delete(sellerId);
  };

  const slots: SubscriptionSlots = {
    async acquire(sellerId, connectionId) {
      const refuse = (reason: 'SUBSCRIPTIONS_PER_SELLER' | 'SUBSCRIPTIONS_PER_CONNECTION'): SlotDecision => {
        const maximum = reason === 'SUBSCRIPTIONS_PER_SELLER' ? options.maxPerSeller : options.maxPerConnection;
        const message = reason === 'SUBSCRIPTIONS_PER_SELLER' ? `At most ${maximum} concurrent subscriptions per seller` : `At most ${maximum} subscriptions per connection`;
        return { allowed: false, error: rateLimited(message, reason, undefined, { maximum }) };
      };
      const heldOn = (id: string) => byConnection.get(id)?.size ?? 0;
      if (heldOn(connectionId) >= options.maxPerConnection) return refuse('SUBSCRIPTIONS_PER_CONNECTION');

      const member = `${instance}:${connectionId}:${randomUUID()}`;
      let local = false;
      try {
        if (redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
        if ((await scripts.amusedSlotAcquire(keyOf(sellerId), member, leaseMs, options.maxPerSeller)) !== 1) return refuse('SUBSCRIPTIONS_PER_SELLER');
      } catch (err) {
        options.log.warn({ err }, 'subscription slots: Redis unavailable, counting in this process');
        if ((bySeller.get(sellerId)?.size ?? 0) >= options.maxPerSeller) return refuse('SUBSCRIPTIONS_PER_SELLER');
        local = true;
      }
      // concurrent acquires on the connection may have filled it while Redis answered
      if (heldOn(connectionId) >= options.maxPerConnection) {
        if (!local) await redis.zrem(keyOf(sellerId), member).catch(() => undefined);
        return refuse('SUBSCRIPTIONS_PER_CONNECTION');
      }
      const members = bySeller.get(sellerId) ?? new Map<string, { local: boolean }>();
      members.set(member, { local });
      bySeller.set(sellerId, members);
      let released = false;
      const slot: SubscriptionSlot = {
        async release() {
          if (released) return;
          released = true;
          forget(sellerId, member);
          const ofConnection = byConnection.get(connectionId);
          ofConnection?.delete(member);
          if (ofConnection?.size === 0) byConnection.delete(connectionId);
          if (!local) {
            await redis.zrem(keyOf(sellerId), member).catch((err: unknown) => options.log.warn({ err }, 'subscription slots: release failed; the lease expires'));
          }
        },
      };
      const ofConnection = byConnection.get(connectionId) ?? new Map<string, SubscriptionSlot>();
      ofConnection.set(member, slot);
      byConnection.set(connectionId, ofConnection);
      return { allowed: true, slot };
    },
    async releaseConnection(connectionId) {
      const held = byConnection.get(connectionId);
      if (held) await Promise.all([...held.values()].map((s) => s.release()));
    },
    heldBy(sellerId) {
      return bySeller.get(sellerId)?.size ?? 0;
    },
    async close() {
      clearInterval(heartbeat);
      await Promise.all([...byConnection.keys()].map((id) => slots.releaseConnection(id)));
    },
  };
  return slots;
}
