// The ceiling: a bare node:http + pg server running the same SQL as our api for q1, q2 and q3
// (no GraphQL, no auth, no limits). POST /q1 | /q2 | /q3 with the same JSON body as the GraphQL
// request; the answer has the same data. /q3notify is q3 plus the pg_notify the events table's
// trigger sent until the relay stopped using NOTIFY: the ceiling "with NOTIFY", kept for comparison.
import { createServer } from 'node:http';
import pg from 'pg';

const port = Number(process.env.PORT ?? 4100);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
// numeric as text, like Prisma's Decimal: prices never pass through floats
pg.types.setTypeParser(1700, (v) => v);

const FIELDS = (r) => ({ id: String(r.id), sku: r.sku, name: r.name, price: r.price, quantity: r.quantity, category: r.category });

const routes = {
  // products(first: 50): ours asks for one more row to know hasNextPage
  async q1({ sellerId }) {
    const { rows } = await pool.query('SELECT * FROM products WHERE seller_id = $1 ORDER BY created_at ASC, id ASC LIMIT $2', [sellerId, 51]);
    return { products: { nodes: rows.slice(0, 50).map(FIELDS) } };
  },
  async q2({ sellerId, id }) {
    const { rows } = await pool.query('SELECT * FROM products WHERE id = $1 AND seller_id = $2 LIMIT 1', [Number(id), sellerId]);
    return { product: rows[0] ? FIELDS(rows[0]) : null };
  },
  q3: (variables) => createProduct(variables, { notify: false }),
  q3notify: (variables) => createProduct(variables, { notify: true }),
};

// createProduct: the product, its RECEIVED movement and its ProductCreated event in one transaction
async function createProduct({ sellerId, input }, { notify }) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      'INSERT INTO products (seller_id, sku, name, description, price, category, quantity, low_stock_threshold) VALUES ($1, NULL, $2, NULL, $3, $4, $5, 5) RETURNING *',
      [sellerId, input.name, input.price, input.category, input.quantity],
    );
    const p = rows[0];
    if (p.quantity !== 0) {
      await client.query(
        "INSERT INTO stock_movements (seller_id, product_id, delta, reason, quantity_after, note) VALUES ($1, $2, $3, 'RECEIVED', $3, 'initial stock')",
        [sellerId, p.id, p.quantity],
      );
    }
    // the sequence bump and the event in one statement, as appendEvent does (microsecond timestamps)
    const payload = { sellerId, productId: p.id, product: { ...FIELDS(p), id: p.id } };
    await client.query(
      `WITH head AS (
         INSERT INTO sellers (id, event_sequence, last_event_at) VALUES ($1, 1, clock_timestamp())
         ON CONFLICT (id) DO UPDATE SET event_sequence = sellers.event_sequence + 1,
           last_event_at = greatest(clock_timestamp(), sellers.last_event_at + interval '1 microsecond')
         RETURNING event_sequence, last_event_at)
       INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
       SELECT $1, head.event_sequence, $2 || to_char(head.last_event_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'ProductCreated', $3, $4, head.last_event_at FROM head`,
      [sellerId, `${sellerId}-${p.id}-ProductCreated-`, p.id, payload],
    );
    // what the dropped trigger did: NOTIFY takes a cluster-wide lock from pre-commit to the flushed commit
    if (notify) await client.query("SELECT pg_notify('amused_events', $1)", [sellerId]);
    await client.query('COMMIT');
    return { createProduct: { product: { id: String(p.id) }, userErrors: [] } };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  const route = routes[req.url?.slice(1) ?? ''];
  if (!route || req.method !== 'POST') {
    res.statusCode = 404;
    return void res.end();
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const data = await route(variables);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data }));
    } catch (error) {
      res.statusCode = 500;
      res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
    }
  });
});
server.listen(port, '127.0.0.1', () => console.log(`ceiling listening on http://127.0.0.1:${port}`));
const stop = async () => {
  server.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
