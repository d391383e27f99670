import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/graphql/auth.js';
import { RUN_DATABASE_PREFIX } from '../support/database.js';
import { JWT_SECRET, PG_ADMIN_URL, REDIS_URL, databaseUrl } from '../support/env.js';
import { startMain } from '../support/process.js';

const dbName = `${RUN_DATABASE_PREFIX}${process.env.TEST_RUN_ID ?? 'norun'}_start${randomBytes(4).toString('hex')}`;

async function admin(sql: string, params: unknown[] = []) {
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

afterAll(() => admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));

describe('the api process', () => {
  it('creates its database, migrates it, serves, and exits 0 on SIGTERM', async () => {
    const proc = startMain({ DATABASE_URL: databaseUrl(dbName), REDIS_URL, JWT_SECRET, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const line = await proc.waitForLine(/api listening/);
    const { port } = JSON.parse(line) as { port: number };

    const exists = await admin('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    expect(exists.rowCount).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const token = await signToken(JWT_SECRET, 'lifecycle-seller');
    const create = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation { createProduct(input: {name: "P", price: "1.00", category: "C"}) { product { id } } }' }),
    });
    expect(((await create.json()) as { data: { createProduct: { product: { id: string } } } }).data.createProduct.product.id).toBeTruthy();

    const started = Date.now();
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(proc.output()).toContain('"clean":true');
  }, 60_000);

  it('refuses to start with a bad setting, naming it in one line', async () => {
    const proc = startMain({ PORT: 'not-a-port', DATABASE_URL: databaseUrl(dbName) });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.output().trim()).toMatch(/^config: PORT is invalid: .+$/);
  });

  it('refuses to start in production without a JWT secret', async () => {
    const proc = startMain({ NODE_ENV: 'production', DATABASE_URL: databaseUrl(dbName) });
    expect((await proc.exited).code).toBe(1);
    expect(proc.output().trim()).toBe('config: JWT_SECRET is missing: is required in production (or set JWKS_URL)');
  });
});
