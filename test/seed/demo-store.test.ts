import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { REDIS_URL } from '../support/env.js';

const run = promisify(execFile);
const DEMO = ['demo-seller-1', 'demo-seller-2'];
const BYSTANDER = 'seed-bystander';
const DAY_MS = 86_400_000;

const Metrics = graphql(`
  query SeedTestMetrics { sellerMetrics { productCount lowStockCount outOfStockCount } }
`);

let api: TestApi;
let firstRun: string;
/** When the first run started: its history ends at 00:00 UTC of that day. */
let seededAt: number;
let secondRun: string;
let afterFirst: Record<string, Record<string, number>>;
let catalogAfterFirst: unknown[];

/** `npm run db:seed` as a user runs it, against this file's database. */
async function seed(...args: string[]): Promise<string> {
  const { stdout } = await run('npm', ['run', '-s', 'db:seed', '--', ...args], {
    env: { ...process.env, DATABASE_URL: api.infra.config.databaseUrl, REDIS_URL, REDIS_PREFIX: api.infra.config.redisPrefix, LOG_LEVEL: 'warn' },
    timeout: 60_000,
  });
  return stdout;
}

async function counts(): Promise<Record<string, Record<string, number>>> {
  const rows = await api.infra.db.$queryRaw<{ seller: string; products: number; orders: number; items: number; movements: number; reservations: number; events: number }[]>`
    SELECT s.seller,
      (SELECT count(*) FROM products WHERE seller_id = s.seller)::int AS products,
      (SELECT count(*) FROM orders WHERE seller_id = s.seller)::int AS orders,
      (SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.seller_id = s.seller)::int AS items,
      (SELECT count(*) FROM stock_movements WHERE seller_id = s.seller)::int AS movements,
      (SELECT count(*) FROM reservations WHERE seller_id = s.seller)::int AS reservations,
      (SELECT count(*) FROM events WHERE seller_id = s.seller)::int AS events,
      (SELECT count(*) FROM customers WHERE seller_id = s.seller)::int AS customers,
      (SELECT count(*) FROM orders WHERE seller_id = s.seller AND customer_id IS NULL)::int AS "ordersWithoutCustomer"
    FROM unnest(${[...DEMO, BYSTANDER]}::text[]) AS s(seller)`;
  return Object.fromEntries(rows.map(({ seller, ...rest }) => [seller, rest]));
}

const catalog = () =>
  api.infra.db.$queryRaw<unknown[]>`
    SELECT seller_id, sku, name, description, price::text, category, quantity, reserved, low_stock_threshold FROM products
    WHERE seller_id = ANY(${DEMO}::text[]) ORDER BY seller_id, sku`;

beforeAll(async () => {
  api = await startTestApi({}, { worker: true });
  await api.services.catalog.createProduct(BYSTANDER, { sku: 'HH-KIT-001', name: 'Not a demo skillet', category: 'Kitchen', quantity: 3, price: new Decimal('10.00') });
  seededAt = Date.now();
  firstRun = await seed();
  afterFirst = await counts();
  catalogAfterFirst = await catalog();
  secondRun = await seed();
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

describe('npm run db:seed', () => {
  it('creates two shops with a catalog, history and checkouts in flight, and says so', () => {
    for (const seller of DEMO) {
      expect(firstRun).toContain(`${seller} catalog: created 72 products in 6 categories`);
      expect(firstRun).toMatch(new RegExp(`${seller} history: created [\\d,]+ orders and [\\d,]+ stock movements over 90 days`));
      expect(firstRun).toContain(`${seller} reservations in flight: created 5 reservations and 4 pending orders holding stock`);
      expect(afterFirst[seller]!.products).toBe(72);
      expect(afterFirst[seller]!.orders).toBeGreaterThan(3000);
      expect(firstRun).toMatch(new RegExp(`${seller} customers: created 160 customers and named them on [\\d,]+ orders`));
      expect(afterFirst[seller]!.customers).toBe(160);
      expect(afterFirst[seller]!.ordersWithoutCustomer).toBe(0);
    }
  });

  it('run again, creates nothing and says it skipped each part', async () => {
    const lines = secondRun.split('\n').filter((l) => l.startsWith('demo-seller-'));
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(line).toMatch(/: skipped \(/);
    expect(await counts()).toEqual(afterFirst);
    expect(await catalog()).toEqual(catalogAfterFirst);
  });

  it('makes a believable catalog: distinct names per category, prices that fit, descriptions and SKUs', async () => {
    const rows = await api.infra.db.$queryRaw<{ seller_id: string; category: string; names: number; products: number; skus: number; min: string; max: string; described: number }[]>`
      SELECT seller_id, category, count(DISTINCT name)::int AS names, count(*)::int AS products, count(DISTINCT sku)::int AS skus,
        min(price)::text AS min, max(price)::text AS max, count(*) FILTER (WHERE length(description) > 20)::int AS described
      FROM products WHERE seller_id = ANY(${DEMO}::text[]) GROUP BY 1, 2`;
    expect(rows).toHaveLength(12);
    for (const r of rows) {
      expect(r.names, `${r.seller_id} ${r.category}`).toBe(r.products);
      expect(r.skus).toBe(r.products);
      expect(r.described).toBe(r.products);
      expect(Number(r.min)).toBeGreaterThanOrEqual(5);
      expect(Number(r.max)).toBeLessThanOrEqual(300);
    }
    const [skillet] = await api.infra.db.$queryRaw<{ price: string }[]>`SELECT price::text FROM products WHERE seller_id = 'demo-seller-1' AND name LIKE 'Cast Iron Skillet%'`;
    const [chair] = await api.infra.db.$queryRaw<{ price: string }[]>`SELECT price::text FROM products WHERE seller_id = 'demo-seller-1' AND name LIKE 'Ergonomic Mesh Office Chair%'`;
    expect(Number(chair!.price)).toBeGreaterThan(Number(skillet!.price) * 3);
  });

  it('has 90 days of sales history ending yesterday, with weekends unlike weekdays', async () => {
    const today = Math.floor(seededAt / DAY_MS) * DAY_MS;
    for (const seller of DEMO) {
      const [span] = await api.infra.db.$queryRaw<{ first: Date; last: Date; days: number }[]>`
        SELECT min(created_at) AS first, max(created_at) AS last, count(DISTINCT (created_at AT TIME ZONE 'UTC')::date)::int AS days
        FROM stock_movements WHERE seller_id = ${seller} AND reason = 'SOLD'`;
      expect(span!.days).toBe(90);
      expect(span!.first.getTime()).toBeGreaterThanOrEqual(today - 90 * DAY_MS);
      expect(span!.first.getTime()).toBeLessThan(today - 89 * DAY_MS);
      expect(span!.last.getTime()).toBeLessThan(today);
      const [week] = await api.infra.db.$queryRaw<{ weekend: number; weekday: number }[]>`
        SELECT avg(units) FILTER (WHERE dow IN (0, 6))::float AS weekend, avg(units) FILTER (WHERE dow BETWEEN 1 AND 4)::float AS weekday
        FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, extract(dow FROM created_at AT TIME ZONE 'UTC')::int AS dow, -sum(delta) AS units
              FROM stock_movements WHERE seller_id = ${seller} AND reason = 'SOLD' GROUP BY 1, 2) d`;
      expect(week!.weekend / week!.weekday, seller).toBeGreaterThan(1.3);
      // orders carry the same history: every SOLD movement names its order, placed at the same moment
      const [unmatched] = await api.infra.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM stock_movements m LEFT JOIN orders o ON o.id = substring(m.note FROM '^order (\\d+)$')::int AND o.created_at = m.created_at AND o.seller_id = m.seller_id
        WHERE m.seller_id = ${seller} AND m.reason = 'SOLD' AND o.id IS NULL`;
      expect(unmatched!.n).toBe(0);
    }
  });

  it('has products trending to stock-out, slow intermittent sellers and low stock', async () => {
    for (const seller of DEMO) {
      const products = await api.infra.db.$queryRaw<{ available: number; threshold: number; recent: number; early: number; last14: number; days: number }[]>`
        SELECT p.quantity - p.reserved AS available, p.low_stock_threshold AS threshold,
          coalesce(-sum(m.delta) FILTER (WHERE m.created_at >= now() - interval '31 days'), 0)::int AS recent,
          coalesce(-sum(m.delta) FILTER (WHERE m.created_at < now() - interval '60 days'), 0)::int AS early,
          coalesce(-sum(m.delta) FILTER (WHERE m.created_at >= now() - interval '15 days'), 0)::int AS last14,
          count(DISTINCT (m.created_at AT TIME ZONE 'UTC')::date)::int AS days
        FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id AND m.reason = 'SOLD'
        WHERE p.seller_id = ${seller} GROUP BY p.id`;
      const trending = products.filter((p) => p.available > 0 && p.recent > 2 * p.early && p.available / (p.last14 / 14) < 3);
      expect(trending.length, seller).toBeGreaterThanOrEqual(1);
      const slow = products.filter((p) => p.days > 0 && p.days < 27);
      expect(slow.length, seller).toBeGreaterThanOrEqual(5);
      const low = products.filter((p) => p.available <= p.threshold);
      expect(low.length, seller).toBeGreaterThanOrEqual(5);
      const { data } = await api.gql(Metrics, {}, { seller });
      expect(data?.sellerMetrics.lowStockCount).toBe(low.length);
      expect(data?.sellerMetrics.productCount).toBe(72);
    }
  });

  it('holds stock for unexpired reservations and pending orders, counted in each product\'s reserved', async () => {
    for (const seller of DEMO) {
      const [held] = await api.infra.db.$queryRaw<{ reservations: number; pending: number; units: number; reserved: number }[]>`
        SELECT (SELECT count(*) FROM reservations WHERE seller_id = ${seller} AND status = 'HELD' AND expires_at > now() + interval '1 hour')::int AS reservations,
          (SELECT count(*) FROM orders WHERE seller_id = ${seller} AND status = 'PENDING')::int AS pending,
          (SELECT sum(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id WHERE r.seller_id = ${seller} AND r.status = 'HELD')::int AS units,
          (SELECT sum(reserved) FROM products WHERE seller_id = ${seller})::int AS reserved`;
      expect(held).toMatchObject({ reservations: 9, pending: 4 });
      expect(held!.units).toBeGreaterThan(0);
      expect(held!.reserved).toBe(held!.units);
    }
  });

  it('keeps the stock ledger and the event log consistent', async () => {
    for (const seller of DEMO) {
      const [ledger] = await api.infra.db.$queryRaw<{ off: number }[]>`
        SELECT count(*)::int AS off FROM products p
        WHERE p.seller_id = ${seller} AND (
          p.quantity <> (SELECT sum(delta) FROM stock_movements m WHERE m.product_id = p.id)
          OR p.quantity <> (SELECT quantity_after FROM stock_movements m WHERE m.product_id = p.id ORDER BY id DESC LIMIT 1))`;
      expect(ledger!.off).toBe(0);
      const [log] = await api.infra.db.$queryRaw<{ n: number; first: number; last: number; head: number; created: number }[]>`
        SELECT count(*)::int AS n, min(sequence) AS first, max(sequence) AS last,
          (SELECT event_sequence FROM sellers WHERE id = ${seller}) AS head,
          count(*) FILTER (WHERE type = 'ProductCreated')::int AS created
        FROM events WHERE seller_id = ${seller}`;
      expect(log).toEqual({ n: log!.last, first: 1, last: log!.head, head: log!.head, created: 72 });
    }
  });

  it('--reset removes and recreates the demo sellers\' data only, the same catalog again', async () => {
    const [head] = await api.infra.db.$queryRaw<{ sequence: number }[]>`SELECT event_sequence AS sequence FROM sellers WHERE id = 'demo-seller-1'`;
    const output = await seed('--reset');
    for (const seller of DEMO) {
      expect(output).toMatch(new RegExp(`${seller} reset: removed 72 products, [\\d,]+ orders and [\\d,]+ events`));
      expect(output).toContain(`${seller} catalog: created 72 products in 6 categories`);
    }
    expect(await counts()).toEqual(afterFirst);
    expect(await catalog()).toEqual(catalogAfterFirst);
    const [bystander] = await api.infra.db.$queryRaw<{ name: string; quantity: number }[]>`SELECT name, quantity FROM products WHERE seller_id = ${BYSTANDER}`;
    expect(bystander).toEqual({ name: 'Not a demo skillet', quantity: 3 });
    // the log goes on after the removed events, as after retention: no sequence is used twice
    const [log] = await api.infra.db.$queryRaw<{ first: number; last: number; n: number }[]>`
      SELECT min(sequence) AS first, max(sequence) AS last, count(*)::int AS n FROM events WHERE seller_id = 'demo-seller-1'`;
    expect(log).toEqual({ first: head!.sequence + 1, last: head!.sequence + afterFirst['demo-seller-1']!['events']!, n: afterFirst['demo-seller-1']!['events'] });
    // and the worker's relay publishes the new events from where it was
    await expect
      .poll(async () => (await api.infra.db.$queryRaw<{ sequence: number }[]>`SELECT sequence FROM relay_positions WHERE seller_id = 'demo-seller-1'`)[0]?.sequence, { timeout: 15_000 })
      .toBe(log!.last);
  }, 60_000);

  it('leaves products it did not make (an older demo store) alone and says so; --reset removes them', async () => {
    await api.services.catalog.createProduct('demo-seller-1', { sku: 'S1-KIT-0000', name: 'Amber Seed tray', category: 'Garden', quantity: 9, price: new Decimal('12.50') });
    const again = await seed();
    expect(again).toContain('demo-seller-1 catalog: skipped (72 products exist); 1 other product of this seller left as it is (--reset removes them)');
    expect((await counts())['demo-seller-1']!.products).toBe(73);
    await seed('--reset');
    expect(await counts()).toEqual(afterFirst);
  }, 60_000);

  it('refuses an unknown argument, naming it, and changes nothing', async () => {
    const before = await counts();
    const failure = await seed('--rest').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('unknown argument --rest');
    expect(await counts()).toEqual(before);
  });
});
