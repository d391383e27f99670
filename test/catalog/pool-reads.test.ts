import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createDatabase, inTransaction, type Database } from '../../src/infra/prisma.js';
import { readRows } from '../../src/infra/pool-reads.js';
import { createTestDatabase } from '../support/database.js';

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  db = createDatabase(created.url, 2);
});
afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('readRows (hot reads straight from the pool)', () => {
  it('returns the column types the hot reads rely on', async () => {
    const [row] = await readRows<{ n: number; t: string; at: Date; price: string }>(
      db,
      Prisma.sql`SELECT ${41}::int + 1 AS n, ${'x'}::text AS t, ${new Date('2026-01-02T03:04:05.678Z')}::timestamptz AS at, ${'12.50'}::numeric(14,2)::text AS price`,
    );
    expect(row).toEqual({ n: 42, t: 'x', at: new Date('2026-01-02T03:04:05.678Z'), price: '12.50' });
  });

  it("inside a transaction reads through it, so it sees the transaction's own uncommitted rows", async () => {
    const seen = await inTransaction(db, async (tx) => {
      await tx.$executeRaw`INSERT INTO products (seller_id, name, price, category) VALUES ('pool-reads', 'inside', 1, 'c')`;
      const inside = await readRows<{ n: number }>(tx, Prisma.sql`SELECT count(*)::int AS n FROM products WHERE seller_id = 'pool-reads'`);
      const outside = await readRows<{ n: number }>(db, Prisma.sql`SELECT count(*)::int AS n FROM products WHERE seller_id = 'pool-reads'`);
      return { inside: inside[0]!.n, outside: outside[0]!.n };
    });
    expect(seen).toEqual({ inside: 1, outside: 0 });
  });

  it("survives an idle pooled connection's backend being terminated before Prisma ran any query", async () => {
    const created = await createTestDatabase();
    const fresh = createDatabase(created.url, 2);
    try {
      const [backend] = await readRows<{ pid: number }>(fresh, { text: 'SELECT pg_backend_pid() AS pid', values: [] });
      await readRows(db, { text: 'SELECT pg_terminate_backend($1)', values: [backend!.pid] });
      // the pool reports the idle client's error as an 'error' event: unhandled, it would end the process
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await readRows<{ one: number }>(fresh, { text: 'SELECT 1 AS one', values: [] })).toEqual([{ one: 1 }]);
    } finally {
      await fresh.$disconnect();
      await created.drop();
    }
  });

  it('answers a bad statement with the database error and leaves the pool usable', async () => {
    await expect(readRows(db, { text: 'SELECT * FROM no_such_table', values: [] })).rejects.toThrow(/no_such_table/);
    expect(await readRows<{ one: number }>(db, { text: 'SELECT 1 AS one', values: [] })).toEqual([{ one: 1 }]);
  });
});
