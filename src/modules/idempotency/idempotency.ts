import { createHash } from 'node:crypto';
import { UserErrorCode, UserErrorsThrown, userError, type UserError } from '../../graphql/user-errors.js';
import type { Tx } from '../../infra/prisma.js';
import { claimIdempotencyKey, recordIdempotencyResult } from './idempotency-keys.repository.js';

export type IdempotentOperation = 'adjustStock' | 'reserveStock' | 'placeOrder' | 'initiatePayment' | 'refundPayment';

const KEY_FIELD = ['input', 'idempotencyKey'];

/** A key is 1-255 characters; null or absent means the request is not idempotent. */
export function checkIdempotencyKey(key: string | null | undefined): UserError[] {
  if (key == null || (key.length >= 1 && key.length <= 255)) return [];
  return [userError(UserErrorCode.INVALID, 'Idempotency key must be 1-255 characters', KEY_FIELD)];
}

/** SHA-256 of the normalized input: what "the same input" means for a retry. */
export function fingerprint(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/**
 * Runs `apply` once per seller, operation and key, inside the caller's transaction, and returns
 * the id of what it produced. A retry with the same key and input gets the first id back
 * without applying again, even while the first is still running (the claim makes it wait);
 * with other input it is an INVALID userError. A rolled-back attempt leaves the key unused.
 */
export async function once(
  tx: Tx,
  request: { sellerId: string; operation: IdempotentOperation; key: string | null | undefined; input: unknown },
  apply: () => Promise<number>,
): Promise<{ id: number; replayed: boolean }> {
  const { sellerId, operation, key } = request;
  if (key == null) return { id: await apply(), replayed: false };
  const print = fingerprint(request.input);
  const earlier = await claimIdempotencyKey(tx, sellerId, operation, key, print);
  if (earlier) {
    if (earlier.fingerprint !== print || earlier.resultId === null) {
      throw new UserErrorsThrown([userError(UserErrorCode.INVALID, `This idempotency key was already used for ${operation} with other input`, KEY_FIELD)]);
    }
    return { id: earlier.resultId, replayed: true };
  }
  const id = await apply();
  await recordIdempotencyResult(tx, sellerId, operation, key, id);
  return { id, replayed: false };
}
