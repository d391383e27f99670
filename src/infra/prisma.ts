import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { runAfterCommit } from './after-commit.js';

export type Database = PrismaClient;
/** The transaction every repository function takes: writes and their events commit together. */
export type Tx = Prisma.TransactionClient;

export function createDatabase(databaseUrl: string, poolSize: number): Database {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Runs fn in one transaction. Retries the rare serialization failure or deadlock the
 * database resolves by aborting one side, so such conflicts never reach a client.
 * After the commit it runs the transaction's afterCommit hooks (e.g. the relay wake-up).
 */
export async function inTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let committing: Tx | undefined;
    try {
      const result = await db.$transaction(
        (tx) => {
          committing = tx;
          return fn(tx);
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
      runAfterCommit(committing);
      return result;
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has(sqlState(error) ?? '')) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** The PostgreSQL SQLSTATE of a failed query, however Prisma wrapped it. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const o = e as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } }; cause?: unknown };
    for (const c of [o.originalCode, o.meta?.code, o.meta?.driverAdapterError?.cause?.originalCode]) {
      if (typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c)) return c;
    }
    if (typeof o.code === 'string' && /^[0-9A-Z]{5}$/.test(o.code) && !o.code.startsWith('P')) return o.code;
    e = o.cause ?? (o.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
  }
  return undefined;
}

/** True when the error is a unique-constraint violation (Prisma P2002 or SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') || sqlState(error) === '23505';
}
