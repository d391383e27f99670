import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import type { StockChange } from './stock-change.js';

export const MAX_ITEMS = 100;
export const MAX_ITEM_QUANTITY = 1_000_000;
export const DEFAULT_TTL_SECONDS = 900;
export const MAX_TTL_SECONDS = 86_400;

/** One product's line of a reservation or order, merged across repeated productIds. */
export interface StockItem {
  productId: number;
  quantity: number;
  /** Path of the item's first appearance in the input, e.g. ["input", "items", "0"]. */
  at: string[];
}

export interface ItemInput {
  productId: string;
  quantity: number;
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

/** Validates the items of a reservation or order; a product given twice counts once with the summed quantity. */
export function checkStockItems(items: readonly ItemInput[], path = ['input', 'items']): Checked<StockItem[]> {
  if (items.length === 0) return { ok: false, errors: [userError(UserErrorCode.INVALID, 'At least one item is required', path)] };
  if (items.length > MAX_ITEMS) return { ok: false, errors: [userError(UserErrorCode.INVALID, `At most ${MAX_ITEMS} items`, path)] };
  const errors: UserError[] = [];
  const merged = new Map<number, StockItem>();
  items.forEach((item, index) => {
    const at = [...path, String(index)];
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      errors.push(userError(UserErrorCode.INVALID, 'Quantity must be at least 1', [...at, 'quantity']));
    } else if (item.quantity > MAX_ITEM_QUANTITY) {
      errors.push(userError(UserErrorCode.INVALID, `Quantity must be at most ${MAX_ITEM_QUANTITY}`, [...at, 'quantity']));
    }
    const productId = serialKeyOfInput('Product', item.productId, [...at, 'productId'].join('.'));
    const line = merged.get(productId);
    if (line) line.quantity += item.quantity;
    else merged.set(productId, { productId, quantity: item.quantity, at });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: [...merged.values()] };
}

export function checkTtl(ttlSeconds: number | null | undefined, field = ['input', 'ttlSeconds']): Checked<number> {
  if (ttlSeconds == null) return { ok: true, value: DEFAULT_TTL_SECONDS };
  if (Number.isInteger(ttlSeconds) && ttlSeconds >= 1 && ttlSeconds <= MAX_TTL_SECONDS) return { ok: true, value: ttlSeconds };
  return { ok: false, errors: [userError(UserErrorCode.INVALID, `TTL must be 1-${MAX_TTL_SECONDS} seconds`, field)] };
}

/** The stock changes that hold items: each one's held units go up by its quantity. */
export function holdChanges(items: readonly StockItem[]): StockChange[] {
  return items.map((item) => ({
    productId: item.productId,
    reserved: item.quantity,
    productField: [...item.at, 'productId'],
    amountField: [...item.at, 'quantity'],
  }));
}

/** The input as a retry must repeat it: items in product order, defaults filled in. */
export function normalizedItems(items: readonly StockItem[]): [number, number][] {
  return items.map((i): [number, number] => [i.productId, i.quantity]).sort((a, b) => a[0] - b[0]);
}
