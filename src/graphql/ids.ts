/** GraphQL IDs of our serial rows arrive as strings; anything that is not one of them matches nothing. */
export function parseSerialId(id: string | number): number | null {
  const n = typeof id === 'number' ? id : /^[1-9]\d{0,9}$/.test(id) ? Number(id) : NaN;
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
}
