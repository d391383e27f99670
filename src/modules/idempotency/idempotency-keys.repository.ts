import type { Database, Tx } from '../../infra/prisma.js';

export interface IdempotencyKeyRecord {
  fingerprint: string;
  resultId: number | null;
}

/**
 * Claims a key in the caller's transaction. While another transaction holds an uncommitted
 * claim of the same key, this waits for it: if that one commits, this returns its record; if it
 * rolls back, the claim is ours and this returns null.
 */
export async function claimIdempotencyKey(tx: Tx, sellerId: string, operation: string, key: string, fingerprint: string): Promise<IdempotencyKeyRecord | null> {
  const claimed = await tx.$queryRaw<{ claimed: number }[]>`
    INSERT INTO idempotency_keys (seller_id, operation, key, fingerprint) VALUES (${sellerId}, ${operation}, ${key}, ${fingerprint})
    ON CONFLICT DO NOTHING RETURNING 1 AS claimed`;
  if (claimed.length > 0) return null;
  // a new statement: it sees the row the conflicting transaction committed
  return tx.idempotencyKey.findUniqueOrThrow({
    where: { sellerId_operation_key: { sellerId, operation, key } },
    select: { fingerprint: true, resultId: true },
  });
}

export async function recordIdempotencyResult(tx: Tx, sellerId: string, operation: string, key: string, resultId: number): Promise<void> {
  await tx.idempotencyKey.update({ where: { sellerId_operation_key: { sellerId, operation, key } }, data: { resultId } });
}

/**
 * Deletes keys claimed before the cutoff, in batches so no statement holds many row locks;
 * returns how many went. A retry after the TTL runs as a new request.
 */
export async function deleteExpiredIdempotencyKeys(db: Database, before: Date, batch = 10_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await db.$executeRaw`
      DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys WHERE created_at < ${before} LIMIT ${batch}))`;
    deleted += count;
    if (count < batch) return deleted;
  }
}
