/** GraphQL Int is 32-bit: sums past it (billions of units) saturate instead of failing the query. */
export const MAX_INT32 = 2_147_483_647;

export function saturateInt32(n: number | bigint): number {
  const value = Number(n);
  return value > MAX_INT32 ? MAX_INT32 : value < -MAX_INT32 - 1 ? -MAX_INT32 - 1 : value;
}
