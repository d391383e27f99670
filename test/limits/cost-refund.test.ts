import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerKey, sellerCaller } from '../../src/limits/caller.js';
import { createCostBudget, type CostBudget } from '../../src/limits/cost-budget.js';
import { REDIS_URL } from '../support/env.js';
import { monitorRedis } from '../support/redis-monitor.js';
import { uniqueId, waitFor } from '../support/wait.js';

// a restore rate so slow that the bucket does not visibly refill during the test
const MAX = 1000;
const prefix = uniqueId('test-cost-refund');
let redis: Redis;
let budget: CostBudget;
beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  budget = createCostBudget(redis, { prefix, maximumAvailable: MAX, restoreRate: 0.001, log: pino({ level: 'silent' }) });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const keyOf = (seller: string) => `${prefix}:limits:cost:${callerKey(sellerCaller(seller))}`;
const stored = async (seller: string) => Number(await redis.hget(keyOf(seller), 'a'));

describe('deferred cost refunds', () => {
  it('answers a refund at once and credits it with the caller next charge, in the same round trip', async () => {
    const seller = uniqueId('refund-next');
    expect((await budget.charge(sellerCaller(seller), 100)).throttleStatus.currentlyAvailable).toBe(900);
    const refund = await budget.charge(sellerCaller(seller), -60);
    expect(refund.throttleStatus.currentlyAvailable).toBe(960);
    const monitor = await monitorRedis();
    // MONITOR sees every client of the server: only this caller's key counts
    const commands = () => monitor.commands.filter((c) => c.args.includes(keyOf(seller))).map((c) => c.args[0]!.toLowerCase());
    const next = await budget.charge(sellerCaller(seller), 10);
    await waitFor(async () => (commands().length > 0 ? true : undefined), 'MONITOR to report the charge');
    monitor.stop();
    expect(next).toMatchObject({ allowed: true, throttleStatus: { currentlyAvailable: 950 } });
    expect(commands().filter((c) => c === 'evalsha' || c === 'eval')).toHaveLength(1);
  });

  it('sends refunds that wait for no charge on their own, batched', async () => {
    const [a, b] = [uniqueId('refund-a'), uniqueId('refund-b')];
    await Promise.all([budget.charge(sellerCaller(a), 200), budget.charge(sellerCaller(b), 300)]);
    await Promise.all([budget.charge(sellerCaller(a), -50), budget.charge(sellerCaller(b), -100)]);
    await waitFor(async () => ((await stored(a)) >= 850 && (await stored(b)) >= 800 ? true : undefined), 'the refunds to reach Redis');
    expect(Math.floor(await stored(a))).toBe(850);
    expect(Math.floor(await stored(b))).toBe(800);
  });
});
