import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations, ensureDatabase } from '../../src/infra/migrate.js';
import { provisionBrowser } from './browser.js';
import { PG_ADMIN_URL, databaseUrl, runDatabasePrefix, templateDatabaseName } from './env.js';

/** Migrates one template database per run; each test file clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  provisionBrowser();
  const runId = randomBytes(4).toString('hex');
  project.provide('testRunId', runId);
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
    // drop databases of this run's test files that crashed before cleaning up
    const client = new pg.Client(PG_ADMIN_URL);
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [runDatabasePrefix(runId)]);
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
