// The benchmark data set: 20,000 products over 50 sellers, inserted with SQL (fast) but keeping
// the products table's invariants (0 <= reserved <= quantity) and the README's "on-hand quantity
// equals the sum of its movements" (one RECEIVED movement per stocked product). The event log
// starts empty: each seller's sequence is 0 and nothing is waiting for the relay.
import pg from 'pg';
import { Redis } from 'ioredis';

export const SELLERS = 50;
export const sellerId = (n) => `bench-seller-${String(n).padStart(2, '0')}`;
/** q1, q2: reads of this seller. */
export const READ_SELLER = sellerId(1);
/** fan-out: events of this seller. */
export const FANOUT_SELLER = sellerId(2);
/** contention: a hot product of its own seller, created fresh per run. */
export const HOT_SELLER = 'bench-hot';

const TABLES = [
  'products', 'stock_movements', 'events', 'sellers', 'relay_positions', 'reservations', 'reservation_items',
  'orders', 'order_items', 'idempotency_keys', 'jobs', 'job_row_errors', 'webhooks', 'webhook_deliveries',
  'analytics_inbox', 'analytics_daily_counts',
];

export async function withDb(databaseUrl, fn) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Loads the data set unless the database holds exactly it already; returns what it did. */
export async function ensureDataSet(databaseUrl, products) {
  return withDb(databaseUrl, async (db) => {
    const { rows } = await db.query(`SELECT
      (SELECT count(*) FROM products)::int AS products,
      (SELECT count(*) FROM events)::int AS events,
      (SELECT count(*) FROM reservations)::int AS reservations,
      (SELECT count(*) FROM jobs)::int AS jobs`);
    const s = rows[0];
    if (s.products === products && s.events === 0 && s.reservations === 0 && s.jobs === 0) return { loaded: false, products };
    const started = performance.now();
    await db.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO sellers (id, event_sequence) SELECT 'bench-seller-' || lpad(s::text, 2, '0'), 0 FROM generate_series(1, $1::int) s`,
      [SELLERS],
    );
    await db.query(
      `INSERT INTO products (seller_id, sku, name, description, price, category, quantity, reserved, low_stock_threshold, created_at, updated_at)
       SELECT 'bench-seller-' || lpad(((i - 1) % $2::int + 1)::text, 2, '0'),
         'SKU-' || lpad(i::text, 7, '0'),
         'Product ' || i || ' ' || (ARRAY['mug', 'lamp', 'chair', 'desk', 'pen', 'notebook', 'shirt', 'kettle'])[i % 8 + 1],
         CASE WHEN i % 5 = 0 THEN NULL ELSE 'A fine ' || (ARRAY['blue', 'red', 'green', 'black'])[i % 4 + 1] || ' product, number ' || i END,
         round(1 + (i::bigint * 7919 % 99900) / 100.0, 2),
         (ARRAY['Kitchen', 'Office', 'Garden', 'Toys', 'Books', 'Clothing'])[i % 6 + 1],
         (i * 31) % 500, 0, 5,
         timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second',
         timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
       FROM generate_series(1, $1::int) i`,
      [products, SELLERS],
    );
    await db.query(
      `INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note, created_at)
       SELECT seller_id, id, quantity, 'RECEIVED', quantity, 'initial stock', created_at FROM products WHERE quantity > 0 ORDER BY id`,
    );
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE');
    return { loaded: true, products, seconds: Math.round((performance.now() - started) / 100) / 10 };
  });
}

/** A product id of a seller (the nth, in id order). */
export async function productOf(databaseUrl, seller, nth = 0) {
  return withDb(databaseUrl, async (db) => {
    const { rows } = await db.query('SELECT id FROM products WHERE seller_id = $1 ORDER BY id OFFSET $2 LIMIT 1', [seller, nth]);
    return rows[0].id;
  });
}

/** Deletes every Redis key under our prefix (limits, queues, persisted queries). */
export async function clearRedis(redisUrl, prefix) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
