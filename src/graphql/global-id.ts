import type { GraphQLError } from 'graphql';
import { badUserInput } from './errors.js';

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
  | 'Invitation'
  | 'AuditEntry'
  | 'Seller';

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

/** The serial key of an id of the given type, or null when the id is of another type or malformed (a bare number included). */
export function serialKeyOf(type: NodeType, id: string): number | null {
  const parsed = fromGlobalId(id);
  if (!parsed || parsed.type !== type) return null;
  const key = parsed.key;
  if (!SERIAL.test(key)) return null;
  const n = Number(key);
  return n <= 2_147_483_647 ? n : null;
}

/** The text key (uuid, cuid, ...) of an id of the given type, or null. */
export function textKeyOf(type: NodeType, id: string): string | null {
  const parsed = fromGlobalId(id);
  return parsed && parsed.type === type && parsed.key.length <= 100 ? parsed.key : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function malformed(type: NodeType, example: string | number, field: string): GraphQLError {
  const article = /^[AEIOU]/.test(type) ? 'an' : 'a';
  return badUserInput(`${field} must be ${article} ${type} id such as "${toGlobalId(type, example)}"`, { argument: field.split('.')[0], field });
}

/**
 * The one check of an incoming id (argument or input field, named by `field`, e.g. "input.items.0.productId"):
 * the serial key, or BAD_USER_INPUT naming the field and the expected form when the id is malformed,
 * a bare number, or of another type. A well-formed id of another seller passes: it then finds nothing.
 */
export function serialKeyOfInput(type: NodeType, id: string, field: string): number {
  const key = serialKeyOf(type, id);
  if (key === null) throw malformed(type, 1, field);
  return key;
}

/** As serialKeyOfInput for types keyed by a uuid (Job, Webhook). */
export function uuidKeyOfInput(type: NodeType, id: string, field: string): string {
  const key = textKeyOf(type, id);
  if (key === null || !UUID.test(key)) throw malformed(type, '8d3b5c0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f', field);
  return key.toLowerCase();
}
