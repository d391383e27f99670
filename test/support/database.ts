import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_ADMIN_URL, databaseUrl, templateDatabaseName } from './env.js';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Test databases are named after the run that made them (TEST_RUN_ID, set by global-setup),
 * so a run's teardown drops its own leftovers and never the databases of a run still going
 * on in another checkout against the same PostgreSQL.
 */
export const RUN_DATABASE_PREFIX = 'amused_test_r_';

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const run = process.env.TEST_RUN_ID ?? 'norun';
  const name = `${RUN_DATABASE_PREFIX}${run}_${randomBytes(6).toString('hex')}`;
  const template = templateDatabaseName();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`));
      break;
    } catch (error) {
      // another file cloning the template at the same instant holds it briefly
      if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    url: databaseUrl(name),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
