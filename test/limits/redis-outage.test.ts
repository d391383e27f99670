import 'reflect-metadata';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sellerCaller } from '../../src/limits/caller.js';
import { createLimits, type Limits } from '../../src/limits/limits.js';

// Nothing listens on port 1: every Redis call fails at once.
const config = loadConfig({
  REDIS_URL: 'redis://127.0.0.1:1',
  REDIS_PREFIX: 'test-limits-outage',
  RATE_LIMIT_PER_SECOND: '3',
  RATE_LIMIT_BURST: '0',
  COST_BUDGET_MAX: '100',
  QUERY_MAX_COST: '100',
  COST_RESTORE_PER_SECOND: '1',
  SUBSCRIPTIONS_MAX_PER_SELLER: '2',
});

let limits: Limits;
beforeAll(async () => {
  limits = await createLimits(config, pino({ level: 'silent' }));
});
afterAll(() => limits?.close());

describe('limits while Redis is unreachable', () => {
  it('still limits the request rate, counting in this process', async () => {
    const caller = sellerCaller('outage-rate');
    const decisions = await Promise.all(Array.from({ length: 6 }, () => limits.checkRequestRate(caller)));
    expect(decisions.filter((d) => d.allowed).length).toBeLessThanOrEqual(3 * 2); // at most two one-second windows
    expect(decisions.some((d) => !d.allowed)).toBe(true);
  });

  it('still keeps the cost budget, in this process', async () => {
    const caller = sellerCaller('outage-cost');
    const first = await limits.chargeQueryCost(caller, 80);
    expect(first).toMatchObject({ allowed: true, throttleStatus: { maximumAvailable: 100, currentlyAvailable: 20 } });
    const second = await limits.chargeQueryCost(caller, 80);
    expect(second.allowed).toBe(false);
    if (!second.allowed) expect(second.retryAfterMs).toBeGreaterThan(50_000);
    // a bare seller id is the same caller
    expect((await limits.chargeQueryCost('outage-cost', 0)).throttleStatus.currentlyAvailable).toBe(20);
  });

  it('still caps subscriptions per seller, per instance', async () => {
    expect((await limits.acquireSubscriptionSlot('outage-subs', 'c1')).allowed).toBe(true);
    expect((await limits.acquireSubscriptionSlot('outage-subs', 'c2')).allowed).toBe(true);
    expect((await limits.acquireSubscriptionSlot('outage-subs', 'c3')).allowed).toBe(false);
  });
});
