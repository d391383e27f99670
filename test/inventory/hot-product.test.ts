import http from 'node:http';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnitOfWork } from '../../src/infra/unit-of-work.js';
import { holdBatchSize } from '../../src/modules/inventory/hold-metrics.js';
import { applyHolds, holdBatch, type HoldRequest } from '../../src/modules/inventory/stock-holds.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { createStocked, expectStockInvariants, productEvents, ReserveStock, stockOf } from '../support/stock.js';
import { keyOf } from '../support/ids.js';

const SELLER = 'hot-product';
const OTHER = 'hot-product-other';
let api: TestApi;

beforeAll(async () => {
  // a small pool, as under a flash sale: 1,000 requests share 5 connections
  api = await startTestApi({ DATABASE_POOL_SIZE: '5', STOCK_HOLD_BATCH_WINDOW_MS: '2' });
});
afterAll(async () => {
  await api?.stop();
});

type HoldAnswer = {
  status: number;
  data?: { reserveStock: { reservation: { id: string; status: string } | null; userErrors: { code: string }[] } } | null;
  errors?: { extensions?: Record<string, unknown> }[];
};

function post(agent: http.Agent, url: string, token: string, body: string): Promise<HoldAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) };
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<HoldAnswer, 'status'>) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const item = (productId: string, quantity: number, index = 0) => ({ productId: keyOf(productId), quantity, at: ['input', 'items', String(index)] });

describe('a hot product', () => {
  it('takes 1,000 concurrent one-unit holds on a small pool without a 500: each is held, INSUFFICIENT_STOCK or OVERLOADED', async () => {
    const productId = await createStocked(api, SELLER, 600);
    // all 1,000 sent at once over 250 keep-alive sockets (as a proxy in front would): this test
    // process also runs the server, and 1,000 sockets opening at once overflow its listen backlog
    const agent = new http.Agent({ keepAlive: true, maxSockets: 250 });
    const token = await api.token(SELLER);
    const body = JSON.stringify({ query: print(ReserveStock), variables: { input: { items: [{ productId, quantity: 1 }] } } });
    const results = await Promise.all(Array.from({ length: 1000 }, () => post(agent, `${api.url}/graphql`, token, body)));
    agent.destroy();
    expect(results.filter((r) => r.status !== 200 && r.status !== 503).map((r) => r.status)).toEqual([]);
    const codes = results.flatMap((r) => [...(r.errors ?? []).map((e) => e.extensions?.['code']), ...(r.data?.reserveStock.userErrors ?? []).map((e) => e.code)]);
    expect(codes.filter((c) => c !== 'INSUFFICIENT_STOCK' && c !== 'OVERLOADED')).toEqual([]);
    const held = results.filter((r) => r.data?.reserveStock.reservation?.status === 'HELD');
    const overloaded = results.filter((r) => r.errors?.some((e) => e.extensions?.['code'] === 'OVERLOADED'));
    // every unit is sold once: all 600 go unless overload turned buyers away
    expect(held.length).toBe(Math.min(600, 1000 - overloaded.length));
    expect(new Set(held.map((r) => r.data!.reserveStock.reservation!.id)).size).toBe(held.length);
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 600, reserved: held.length });
    await expectStockInvariants(api, SELLER);
    // one event per hold, no more
    const count = await api.infra.db.event.count({ where: { sellerId: SELLER, productId: keyOf(productId), type: 'ProductUpdated' } });
    expect(count).toBe(held.length);
  }, 180_000);

  it('applies the valid requests of a batch and refuses only the invalid ones', async () => {
    const productId = await createStocked(api, SELLER, 10, { lowStockThreshold: 4 });
    const foreign = await createStocked(api, OTHER, 10);
    const { value: outcomes, events } = await runUnitOfWork(api.infra.db, (tx) =>
      applyHolds(tx, SELLER, [
        { sellerId: SELLER, items: [item(productId, 3)], ttlSeconds: 60 },
        { sellerId: SELLER, items: [item(foreign, 1)], ttlSeconds: 60 }, // another seller's product
        { sellerId: SELLER, items: [item(productId, 8)], ttlSeconds: 60 }, // more than is left
        { sellerId: SELLER, items: [item(productId, 4)], ttlSeconds: 60 },
      ]),
    );
    expect(outcomes.map((o) => o.held)).toEqual([true, false, false, true]);
    expect(outcomes[1]).toMatchObject({ userErrors: [{ code: 'NOT_FOUND', field: ['input', 'items', '0', 'productId'] }] });
    expect(outcomes[2]).toMatchObject({ userErrors: [{ code: 'INSUFFICIENT_STOCK', message: expect.stringMatching(/^Only 7 units/) }] });
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ quantity: 10, reserved: 7, available: 3 });
    expect(await stockOf(api, OTHER, foreign)).toMatchObject({ reserved: 0 });
    // each held request has its own event, in order; the one that crossed the threshold warns once
    expect(events.map((e) => e.type)).toEqual(['ProductUpdated', 'ProductUpdated', 'LowStockWarning']);
    expect(events.map((e) => e.sequence)).toEqual([events[0]!.sequence, events[0]!.sequence + 1, events[0]!.sequence + 2]);
    const log = await productEvents(api, SELLER, productId);
    expect(log.filter((e) => e.__typename === 'ProductUpdated').map((e) => 'changes' in e && e.changes?.reserved)).toEqual([3, 7]);
    await expectStockInvariants(api, SELLER, OTHER);
  }, 60_000);

  it('holds a batch in one statement with the same outcomes and events as the unit of work', async () => {
    // two identical stores: one held through applyHolds in a unit of work, one through holdBatch's single statement
    const batch = async (seller: string, apply: (requests: HoldRequest[]) => Promise<unknown[]>) => {
      const hot = await createStocked(api, seller, 10, { lowStockThreshold: 4, price: '12.50' });
      const other = await createStocked(api, seller, 20, { lowStockThreshold: 0 });
      const foreign = await createStocked(api, OTHER, 10);
      const from = (await api.infra.db.seller.findUnique({ where: { id: seller } }))!.eventSequence;
      const outcomes = await apply([
        { sellerId: seller, items: [item(hot, 3), item(other, 2, 1)], ttlSeconds: 60 },
        { sellerId: seller, items: [item(foreign, 1)], ttlSeconds: 60 }, // another seller's product
        { sellerId: seller, items: [item(other, 1), item(hot, 8, 1)], ttlSeconds: 60 }, // more of hot than is left: neither is held
        { sellerId: seller, items: [item(hot, 4)], ttlSeconds: 120 },
      ]);
      const events = await api.infra.db.event.findMany({ where: { sellerId: seller, sequence: { gt: from } }, orderBy: { sequence: 'asc' } });
      const key = new Map([[keyOf(hot), 'hot'], [keyOf(other), 'other']]);
      // the same log, but for the ids and times the two stores cannot share
      const shape = events.map((e, i) => {
        const payload = e.payload as { productId: number; product?: Record<string, unknown> };
        const product = payload.product && { ...payload.product, id: key.get(payload.product['id'] as number), createdAt: typeof payload.product['createdAt'], updatedAt: typeof payload.product['updatedAt'] };
        return { sequence: e.sequence - from - i, type: e.type, product: key.get(e.productId), payload: { ...payload, sellerId: typeof (payload as { sellerId?: unknown }).sellerId, productId: key.get(payload.productId), ...(product ? { product } : {}) }, idShape: e.eventId.startsWith(`${e.sellerId}-${e.productId}-${e.type}-`) };
      });
      const names: [string, string][] = [[hot, 'hot'], [other, 'other'], [foreign, 'foreign']];
      const named = (v: unknown) => JSON.parse(names.reduce((text, [id, name]) => text.replaceAll(id, name), JSON.stringify(v))) as unknown;
      const answers = outcomes.map((o) => {
        const x = o as { held: boolean; reservation?: { status: string; items: { productId: number; quantity: number }[]; expiresAt: Date; createdAt: Date }; userErrors?: unknown };
        if (!x.held) return { held: false, userErrors: named(x.userErrors) };
        const r = x.reservation!;
        return { held: true, status: r.status, items: r.items.map((i) => ({ product: key.get(i.productId), quantity: i.quantity })), ttl: Math.round((r.expiresAt.getTime() - r.createdAt.getTime()) / 1000) };
      });
      return { outcomes, answers, shape, stock: [await stockOf(api, seller, hot), await stockOf(api, seller, other), await stockOf(api, OTHER, foreign)] };
    };
    const viaUnit = await batch(`${SELLER}-unit`, async (requests) => (await runUnitOfWork(api.infra.db, (tx) => applyHolds(tx, requests[0]!.sellerId, requests))).value);
    const viaStatement = await batch(`${SELLER}-statement`, (requests) => holdBatch(api.infra.db, requests[0]!.sellerId, requests));
    expect(viaStatement.answers).toEqual(viaUnit.answers);
    expect(viaStatement.answers.map((a) => a.held)).toEqual([true, false, false, true]);
    expect(viaStatement.shape).toEqual(viaUnit.shape);
    expect(viaStatement.shape.map((e) => `${e.type} ${e.product}`)).toEqual(['ProductUpdated hot', 'ProductUpdated other', 'ProductUpdated hot', 'LowStockWarning hot']);
    expect(viaStatement.stock.map((s) => s.reserved)).toEqual(viaUnit.stock.map((s) => s.reserved));
    expect(viaStatement.stock.map((s) => s.reserved)).toEqual([7, 2, 0]);
    // the reservation rows the statement wrote are what it answered
    const held = viaStatement.outcomes.flatMap((o) => ((o as { held: boolean }).held ? [(o as { reservation: { id: number; items: unknown } }).reservation] : []));
    for (const r of held) expect((await api.infra.db.reservation.findUnique({ where: { id: r.id }, include: { items: { orderBy: { productId: 'asc' }, select: { productId: true, quantity: true } } } }))!.items).toEqual(r.items);
    await expectStockInvariants(api, `${SELLER}-unit`, `${SELLER}-statement`, OTHER);
  }, 60_000);

  it('coalesces concurrent holds of a seller into one transaction, each with its own answer', async () => {
    const productId = await createStocked(api, SELLER, 5);
    const foreign = await createStocked(api, OTHER, 5);
    const before = (await holdBatchSize.get()).values.find((v) => v.metricName === 'stock_hold_batch_size_count')?.value ?? 0;
    const reserve = (items: { productId: string; quantity: number }[]) => api.services.reservations.reserveStock(SELLER, { items });
    const results = await Promise.all([
      reserve([{ productId, quantity: 2 }]),
      reserve([{ productId: foreign, quantity: 1 }]),
      reserve([{ productId, quantity: 9 }]),
      reserve([{ productId, quantity: 3 }]),
    ]);
    expect(results.map((r) => r.reservation?.status ?? r.userErrors[0]!.code)).toEqual(['HELD', 'NOT_FOUND', 'INSUFFICIENT_STOCK', 'HELD']);
    const after = (await holdBatchSize.get()).values.find((v) => v.metricName === 'stock_hold_batch_size_count')!.value;
    expect(after - before).toBeLessThan(4); // fewer transactions than requests
    expect(await stockOf(api, SELLER, productId)).toMatchObject({ reserved: 5, available: 0 });
    await expectStockInvariants(api, SELLER, OTHER);
  }, 60_000);
});

describe('admission', () => {
  let tight: TestApi;
  beforeAll(async () => {
    tight = await startTestApi({ DATABASE_POOL_SIZE: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '300', DATABASE_MAX_WAITING: '1' });
  });
  afterAll(async () => {
    await tight?.stop();
  });

  it('answers OVERLOADED with HTTP 503 and Retry-After when no connection frees in time, and writes nothing', async () => {
    const productId = await createStocked(tight, SELLER, 10);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // the pool's only connection is busy until the test lets it go
    const busy = tight.infra.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      await released;
    }, { timeout: 60_000 });
    try {
      const res = await tight.gql(ReserveStock, { input: { items: [{ productId, quantity: 1 }] } }, { seller: SELLER });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'OVERLOADED', retryAfterMs: expect.any(Number) } })]);
    } finally {
      release();
      await busy;
    }
    expect(await stockOf(tight, SELLER, productId)).toMatchObject({ reserved: 0 });
    expect(await tight.infra.db.reservation.count()).toBe(0);
    await expectStockInvariants(tight, SELLER);
  }, 60_000);
});
