import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { runAfterCommit } from './after-commit.js';
import { registerPool } from './pool-reads.js';

export type Database = PrismaClient;
/** The transaction every repository function takes: writes and their events commit together. */
export type Tx = Prisma.TransactionClient;

/** How long a request may wait for a pooled connection, and how many may wait at once. */
export interface Admission {
  acquireTimeoutMs: number;
  maxWaiting: number;
}

/**
 * No database connection could be had in time (or too many requests were already waiting for
 * one). Thrown before any statement ran, so nothing was written; clients see OVERLOADED.
 */
export class DatabaseOverloaded extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 1000,
  ) {
    super(message);
    this.name = 'DatabaseOverloaded';
  }
}

export function isDatabaseOverloaded(error: unknown): error is DatabaseOverloaded {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (e instanceof DatabaseOverloaded) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const DEFAULT_ADMISSION: Admission = { acquireTimeoutMs: 10_000, maxWaiting: 1_000 };

type PoolCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: Error | boolean) => void) => void;

/** pg's pool with a bounded wait: a full queue or a timed-out wait is DatabaseOverloaded. */
class AdmittingPool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    private readonly maxWaiting: number,
  ) {
    super(config);
  }

  // pool.query goes through connect too, so every statement and transaction is admitted here
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: PoolCallback): void;
  override connect(callback?: PoolCallback): Promise<pg.PoolClient> | void {
    const admitted = this.admit();
    if (!callback) return admitted;
    admitted.then(
      (client) => callback(undefined, client, (release?: Error | boolean) => client.release(release)),
      (error: Error) => callback(error, undefined, () => undefined),
    );
  }

  private async admit(): Promise<pg.PoolClient> {
    if (this.idleCount === 0 && this.waitingCount >= this.maxWaiting) {
      throw new DatabaseOverloaded(`${this.waitingCount} requests already wait for a database connection`);
    }
    try {
      return await super.connect();
    } catch (error) {
      if (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
        throw new DatabaseOverloaded('No database connection became free in time', 1000);
      }
      throw error;
    }
  }
}

export function createDatabase(databaseUrl: string, poolSize: number, admission: Admission = DEFAULT_ADMISSION): Database {
  const pool = new AdmittingPool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: admission.acquireTimeoutMs }, admission.maxWaiting);
  // an idle client whose backend ended (a restart, a terminated connection) is dropped by the pool,
  // and the next query opens another; Prisma listens for this only once it has run a query itself
  pool.on('error', () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  registerPool(db, pool);
  return db;
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Runs fn in one transaction. Retries the rare serialization failure or deadlock the
 * database resolves by aborting one side, so such conflicts never reach a client.
 * After the commit it runs the transaction's afterCommit hooks (e.g. the relay wake-up).
 */
export async function inTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  return retryingConflicts(async () => {
    let committing: Tx | undefined;
    try {
      const result = await db.$transaction(
        (tx) => {
          committing = tx;
          return fn(tx);
        },
        // the pool's acquire timeout (DatabaseOverloaded) answers first; maxWait only backs it up
        { maxWait: 60_000, timeout: 30_000 },
      );
      runAfterCommit(committing);
      return result;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2028' && /start a transaction/i.test(error.message)) {
        throw new DatabaseOverloaded('No database connection became free in time', 1000);
      }
      throw error;
    }
  }, attempts);
}

/** Runs a write again (after a short random pause) when the database aborted it as a serialization failure or deadlock. */
export async function retryingConflicts<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
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
