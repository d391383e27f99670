import { fromGlobalId, toGlobalId } from '../../src/graphql/global-id.js';

/** The row key behind a global id the API handed out (a serial as a number, a uuid as text), for reading the database directly. */
export function keyOf(id: string): number {
  const key = fromGlobalId(id)?.key;
  if (key === undefined || !/^\d+$/.test(key)) throw new Error(`not a serial global id: ${id}`);
  return Number(key);
}

export function textKeyOf(id: string): string {
  const key = fromGlobalId(id)?.key;
  if (key === undefined) throw new Error(`not a global id: ${id}`);
  return key;
}

/** A seller's id as GraphQL gives it (viewer.id, sellerId fields). */
export const sellerNodeId = (sellerId: string): string => toGlobalId('Seller', sellerId);
