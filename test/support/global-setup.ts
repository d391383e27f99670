import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { RUN_DATABASE_PREFIX } from './database.js';
import { applyMigrations, ensureDatabase } from '../../src/infra/migrate.js';
import { PG_ADMIN_URL, databaseUrl, templateDatabaseName } from './env.js';

const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** Migrates one template database per run; each test file clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup(): Promise<() => Promise<void>> {
  // the run id starts with the time in base 36, so a crashed run's databases can be told stale
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.TEST_RUN_ID = runId; // inherited by the test workers
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
    // drop databases of this run's test files that crashed before cleaning up, and those of
    // runs that crashed hours ago; never those of another run that may still be going
    const client = new pg.Client(PG_ADMIN_URL);
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${RUN_DATABASE_PREFIX}%`]);
    await client.end();
    for (const { datname } of rows) {
      const run = datname.slice(RUN_DATABASE_PREFIX.length).split('_')[0] ?? '';
      const startedAt = parseInt(run.slice(0, -6), 36);
      if (run === runId || !(Date.now() - startedAt < STALE_AFTER_MS)) await dropDatabase(datname);
    }
  };
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await client.end();
}
