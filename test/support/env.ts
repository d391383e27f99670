import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PG_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-setup: names the databases of this test run. */
    testRunId: string;
  }
}

/**
 * Databases of one test run share this prefix, so its teardown drops only its own, never those
 * of a run in another checkout against the same server.
 */
export function runDatabasePrefix(runId: string): string {
  return `amused_test_run_${runId}_`;
}

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The template database is named after the migrations, so a changed migration makes a new one. */
export function templateDatabaseName(): string {
  const dir = join(process.cwd(), 'prisma', 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.toml')) continue;
    hash.update(name).update(readFileSync(join(dir, name, 'migration.sql')));
  }
  return `amused_test_tpl_${hash.digest('hex').slice(0, 12)}`;
}
