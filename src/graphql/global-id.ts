/**
 * Relay global object ids: base64url of `Type:key`, as Saleor and GitHub do. Every `id` the API
 * hands out is one of these, so an id names its type and no two objects share one.
 */
export type NodeType =
  | 'Product'
  | 'Order'
  | 'Reservation'
  | 'StockMovement'
  | 'Job'
  | 'Webhook'
  | 'Customer'
  | 'Payment'
  | 'Refund'
  | 'Notification'
  | 'User'
  | 'ApiKey'
  | 'AuditEntry';

export function toGlobalId(type: NodeType, key: string | number): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

/** The type and key inside a global id, or null when the text is not one. */
export function fromGlobalId(id: string): { type: string; key: string } | null {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !/^[A-Za-z0-9_-]+={0,2}$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return null;
  const type = text.slice(0, colon);
  if (!/^[A-Z][A-Za-z]+$/.test(type)) return null;
  return { type, key: text.slice(colon + 1) };
}

const SERIAL = /^[1-9]\d{0,9}$/;

/**
 * The serial key of an id of the given type, or null when the id is of another type or malformed.
 * Bare numbers ("17") are still accepted while the Relay migration (issue 16) lands.
 */
export function serialKeyOf(type: NodeType, id: string | number): number | null {
  let key: string;
  if (typeof id === 'number') key = String(id);
  else if (SERIAL.test(id)) key = id;
  else {
    const parsed = fromGlobalId(id);
    if (!parsed || parsed.type !== type) return null;
    key = parsed.key;
  }
  if (!SERIAL.test(key)) return null;
  const n = Number(key);
  return n <= 2_147_483_647 ? n : null;
}

/** The text key (uuid, cuid, ...) of an id of the given type, or null. */
export function textKeyOf(type: NodeType, id: string): string | null {
  const parsed = fromGlobalId(id);
  return parsed && parsed.type === type && parsed.key.length <= 100 ? parsed.key : null;
}
