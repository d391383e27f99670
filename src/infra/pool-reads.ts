import type pg from 'pg';
import type { Database, Tx } from './prisma.js';

const pools = new WeakMap<object, pg.Pool>();

/** Lets readRows reach the pool under a client made by createDatabase. */
export function registerPool(db: Database, pool: pg.Pool): void {
  pools.set(db, pool);
}

/** One parameterised statement: `text` with $1..$n placeholders, as `Prisma.sql` builds it. */
export interface Statement {
  text: string;
  values: readonly unknown[];
}

/**
 * Rows of one read-only statement, straight from the pool the client runs on: the hot reads
 * skip Prisma's query runtime, which only wraps the same `pg` call. pg's default parsers fit what
 * the hot reads select (int4, text, timestamptz; numeric and int8 come back as strings). Inside a
 * transaction, or on a client createDatabase did not make, the statement goes through Prisma.
 */
export async function readRows<T>(db: Database | Tx, statement: Statement): Promise<T[]> {
  const pool = pools.get(db);
  if (!pool) return (db as Database).$queryRawUnsafe<T[]>(statement.text, ...statement.values);
  const result = await pool.query<T & pg.QueryResultRow>(statement.text, statement.values as unknown[]);
  return result.rows;
}
