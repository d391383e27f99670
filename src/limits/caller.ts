import type { Viewer } from '../graphql/auth.js';

/**
 * Who a limit is counted against: the seller when the caller is authenticated, otherwise the
 * client address. Kept apart by kind so a seller id can never share an address's budget.
 */
export type Caller = Readonly<{ kind: 'seller'; id: string } | { kind: 'ip'; id: string }>;

export function sellerCaller(sellerId: string): Caller {
  return { kind: 'seller', id: sellerId };
}

/** The seller of a valid token, else the client address (a bad token counts against the address). */
export function callerOf(viewer: Viewer | null | undefined, clientIp: string | undefined): Caller {
  return viewer ? { kind: 'seller', id: viewer.sellerId } : { kind: 'ip', id: clientIp ?? 'unknown' };
}

/** The Redis key suffix of a caller. */
export function callerKey(caller: Caller): string {
  return `${caller.kind}:${caller.id}`;
}
