import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Which limit refused an operation; sent as extensions.reason so clients can tell them apart. */
export type LimitReason =
  | 'REQUEST_RATE'
  | 'COST_BUDGET'
  | 'QUERY_COST'
  | 'DEPTH'
  | 'ALIASES'
  | 'ROOT_FIELDS'
  | 'QUERY_NODES'
  | 'SUBSCRIPTIONS_PER_SELLER'
  | 'SUBSCRIPTIONS_PER_CONNECTION'
  | 'BULK_JOBS'
  | 'CONCURRENT_OPERATIONS'
  | 'PERSISTED_QUERIES'
  | 'SIGN_IN';

/** Whole seconds for a Retry-After header: rounded up, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/**
 * RATE_LIMITED, HTTP 429 with Retry-After. Without retryAfterMs (a concurrency cap, where
 * only the client knows when it frees a slot) there is no Retry-After.
 */
export function rateLimited(message: string, reason: LimitReason, retryAfterMs?: number, extra: Record<string, unknown> = {}): GraphQLError {
  const headers = new HeaderMap();
  if (retryAfterMs !== undefined) headers.set('retry-after', String(retryAfterSeconds(retryAfterMs)));
  return new GraphQLError(message, {
    extensions: {
      code: 'RATE_LIMITED',
      reason,
      ...(retryAfterMs !== undefined ? { retryAfterMs: Math.ceil(retryAfterMs) } : {}),
      ...extra,
      http: { status: 429, headers },
    },
  });
}

/** QUERY_TOO_COMPLEX, HTTP 400: the operation is refused as written; retrying it won't help. */
export function queryTooComplex(message: string, reason: LimitReason, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', reason, ...extra, http: { status: 400 } } });
}
