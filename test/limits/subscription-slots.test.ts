import 'reflect-metadata';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLimits, type Limits } from '../../src/limits/limits.js';
import { createSubscriptionSlots } from '../../src/limits/subscription-slots.js';
import { REDIS_URL } from '../support/env.js';
import { uniqueId, waitFor } from '../support/wait.js';

const log = pino({ level: 'silent' });
const PREFIX = uniqueId('test-limits-slots');
const config = loadConfig({ REDIS_URL, REDIS_PREFIX: PREFIX, SUBSCRIPTIONS_MAX_PER_SELLER: '5', SUBSCRIPTIONS_MAX_PER_CONNECTION: '3' });
const opened: { close(): Promise<void> }[] = [];
async function instance(): Promise<Limits> {
  const limits = await createLimits(config, log);
  opened.push(limits);
  return limits;
}
afterAll(() => Promise.all(opened.map((l) => l.close())));

describe('subscription slots', () => {
  it('caps subscriptions per connection, and a released slot can be taken again', async () => {
    const limits = await instance();
    const seller = uniqueId('slots-conn');
    const held = [];
    for (let i = 0; i < 3; i++) {
      const decision = await limits.acquireSubscriptionSlot(seller, 'conn-1');
      expect(decision.allowed).toBe(true);
      if (decision.allowed) held.push(decision.slot);
    }
    const refused = await limits.acquireSubscriptionSlot(seller, 'conn-1');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.error.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'SUBSCRIPTIONS_PER_CONNECTION', maximum: 3 });
      expect(refused.error.extensions['retryAfterMs']).toBeUndefined();
    }
    // another connection of the same seller still has room
    expect((await limits.acquireSubscriptionSlot(seller, 'conn-2')).allowed).toBe(true);
    await held[0]!.release();
    await held[0]!.release(); // idempotent
    expect((await limits.acquireSubscriptionSlot(seller, 'conn-1')).allowed).toBe(true);
  });

  it('caps concurrent subscriptions per seller across instances', async () => {
    const [a, b] = await Promise.all([instance(), instance()]);
    const seller = uniqueId('slots-seller');
    for (const [limits, conn] of [[a, 'a1'], [a, 'a2'], [b, 'b1'], [b, 'b1'], [b, 'b2']] as const) {
      expect((await limits.acquireSubscriptionSlot(seller, conn)).allowed).toBe(true);
    }
    for (const limits of [a, b]) {
      const refused = await limits.acquireSubscriptionSlot(seller, 'fresh');
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(refused.error.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'SUBSCRIPTIONS_PER_SELLER', maximum: 5 });
    }
    // a closed connection frees all its slots for everyone
    await b.releaseConnectionSlots('b1');
    expect((await a.acquireSubscriptionSlot(seller, 'a3')).allowed).toBe(true);
    expect((await a.acquireSubscriptionSlot(seller, 'a3')).allowed).toBe(true);
    expect((await a.acquireSubscriptionSlot(seller, 'a3')).allowed).toBe(false);
  });

  it('keeps live slots by heartbeat and frees those of a crashed instance when their lease runs out', async () => {
    const seller = uniqueId('slots-lease');
    const options = { prefix: PREFIX, maxPerSeller: 2, maxPerConnection: 10, log, leaseMs: 400 };
    const crashingRedis = new Redis(REDIS_URL);
    const liveRedis = new Redis(REDIS_URL);
    await Promise.all([crashingRedis.ping(), liveRedis.ping()]);
    const crashing = createSubscriptionSlots(crashingRedis, options);
    const live = createSubscriptionSlots(liveRedis, options);
    try {
      expect((await live.acquire(seller, 'l')).allowed).toBe(true);
      expect((await crashing.acquire(seller, 'c')).allowed).toBe(true);
      expect((await live.acquire(seller, 'l')).allowed).toBe(false);
      // the crashed instance stops renewing; the live one keeps renewing its own lease
      crashingRedis.disconnect();
      const started = Date.now();
      await waitFor(async () => ((await live.acquire(seller, 'l')).allowed ? true : undefined), "the crashed instance's lease to expire", 5000);
      expect(Date.now() - started).toBeGreaterThan(100);
      // two live slots now (2 x 400 ms later still held: the heartbeat renewed them)
      await new Promise((r) => setTimeout(r, 900)); // several lease periods: only a renewal keeps them
      expect((await live.acquire(seller, 'l')).allowed).toBe(false);
    } finally {
      await Promise.all([crashing.close(), live.close()]);
      liveRedis.disconnect();
    }
  });
});
