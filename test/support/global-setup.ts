import pg from 'pg';
import { applyMigrations, ensureDatabase } from '../../src/infra/migrate.js';
import { PG_ADMIN_URL, databaseUrl, templateDatabaseName } from './env.js';

/** Migrates one template database per run; each test file clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup(): Promise<() => Promise<void>> {
  const template = templateDatabaseName();
  const url = databaseUrl(template);
  if (await ensureDatabase(url)) {
    try {
      await applyMigrations(url);
    } catch (error) {
      await dropDatabase(template);
      throw error;
    }
  }
  return async () => {
    // drop databases of test files that crashed before cleaning up; one still in use belongs to
    // a test run of another checkout on the same server
    const client = new pg.Client(PG_ADMIN_URL);
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database d WHERE datname LIKE 'amused_test_f_%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)",
    );
    await client.end();
    for (const { datname } of rows) await dropDatabase(datname);
  };
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await client.end();
}
