import { UserErrorCode, UserErrorsThrown, userError, type UserError } from '../../graphql/user-errors.js';
import type { Tx } from '../../infra/prisma.js';
import type { PendingEvent } from '../../infra/unit-of-work.js';
import { available, type ProductRecord } from '../catalog/product.model.js';
import { productChangeEvents, type StockReason } from '../catalog/product-change.js';
import { changeStockRows, MAX_QUANTITY } from './stock.repository.js';
import { toGlobalId } from '../../graphql/global-id.js';

/** A change of one product's stock counters, and the input fields to blame if it cannot apply. */
export interface StockChange {
  productId: number;
  /** Change of on-hand units. */
  quantity?: number;
  /** Change of units held by reservations. */
  reserved?: number;
  /** The input field naming the product, blamed when it does not exist. */
  productField: string[];
  /** The input field with the amount, blamed when the stock cannot cover it. */
  amountField: string[];
}

/**
 * Applies stock changes of a seller's products all-or-nothing, inside the caller's transaction,
 * in one statement: locks the products in ascending id order, makes the change a conditional
 * write and records each product's movement; returns the products after and the events for the
 * unit of work to append. Any missing product or shortage throws UserErrorsThrown, rolling the whole transaction
 * back. Every productId may appear once. With skipMissing, deleted products are passed over.
 */
export async function changeStock(
  tx: Tx,
  sellerId: string,
  changes: readonly StockChange[],
  stock?: StockReason,
  options: { skipMissing?: boolean } = {},
): Promise<{ products: Map<number, ProductRecord>; events: PendingEvent[] }> {
  const ordered = [...changes].sort((a, b) => a.productId - b.productId);
  if (ordered.some((c, i) => i > 0 && ordered[i - 1]!.productId === c.productId)) throw new Error('changeStock takes each product once');
  if (!stock && ordered.some((c) => (c.quantity ?? 0) !== 0)) throw new Error('a change of on-hand quantity needs a stock movement reason');
  const deltas = ordered.map((c) => ({ productId: c.productId, quantity: c.quantity ?? 0, reserved: c.reserved ?? 0 }));
  const rows = await changeStockRows(tx, sellerId, deltas, stock ? { reason: stock.reason, note: stock.note ?? null } : null, options.skipMissing === true);
  const before = new Map(rows.before.map((p) => [p.id, p]));
  const after = new Map(rows.after.map((p) => [p.id, p]));
  const errors: UserError[] = [];
  for (const change of ordered) {
    const was = before.get(change.productId);
    if (!was) {
      if (!options.skipMissing) errors.push(userError(UserErrorCode.NOT_FOUND, `Product ${toGlobalId('Product', change.productId)} not found`, change.productField));
    } else if (!after.has(change.productId)) {
      errors.push(refusal(was, change));
    }
  }
  // a refusal of one product leaves the others unapplied too: the statement is all or nothing
  if (errors.length > 0) throw new UserErrorsThrown(errors);
  if (after.size === 0 && before.size > 0) throw new Error('stock change applied to no product without a refusal');
  const events = ordered.flatMap((c) => (after.has(c.productId) ? productChangeEvents(before.get(c.productId)!, after.get(c.productId)!) : []));
  return { products: after, events };
}

function refusal(before: ProductRecord, change: StockChange): UserError {
  const quantity = change.quantity ?? 0;
  const reserved = change.reserved ?? 0;
  if (before.reserved + reserved < 0) {
    // releases and sales only give back what a reservation holds; anything else is corruption
    throw new Error(`product ${before.id} holds ${before.reserved} units, cannot release ${-reserved}`);
  }
  if (before.quantity + quantity > MAX_QUANTITY) {
    return userError(UserErrorCode.INVALID, `Product ${toGlobalId('Product', before.id)} cannot hold more than ${MAX_QUANTITY} units`, change.amountField);
  }
  const wanted = reserved - quantity;
  return userError(
    UserErrorCode.INSUFFICIENT_STOCK,
    `Only ${available(before)} units of product ${toGlobalId('Product', before.id)} are available, ${wanted} needed`,
    change.amountField,
  );
}
