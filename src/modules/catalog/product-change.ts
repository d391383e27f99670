import type { Tx } from '../../infra/prisma.js';
import type { PendingEvent } from '../../infra/unit-of-work.js';
import type { StockMovementReason } from '../inventory/stock-movement.model.js';
import { recordMovement } from '../inventory/stock-movements.repository.js';
import { available, isLowStock, productChanges, toProductJson, type ProductRecord } from './product.model.js';

export interface StockReason {
  reason: StockMovementReason;
  note?: string | null;
}

/** True when a change takes available stock from above the threshold to at or below it. */
export function crossedIntoLowStock(before: ProductRecord, after: ProductRecord): boolean {
  return !isLowStock(before) && isLowStock(after);
}

/**
 * Records what follows a change of a locked product, in the change's transaction: the stock
 * movement (when on-hand quantity moved). Returns the events the unit of work appends last: the
 * ProductUpdated event with only the changed fields, and a LowStockWarning when the change
 * crosses into low stock. Every path that changes a product goes through here.
 */
export async function recordProductChange(tx: Tx, before: ProductRecord, after: ProductRecord, stock?: StockReason): Promise<PendingEvent[]> {
  const delta = after.quantity - before.quantity;
  if (delta !== 0) {
    if (!stock) throw new Error('a change of on-hand quantity needs a stock movement reason');
    await recordMovement(tx, {
      sellerId: after.sellerId,
      productId: after.id,
      delta,
      reason: stock.reason,
      quantityAfter: after.quantity,
      note: stock.note ?? null,
    });
  }
  return productChangeEvents(before, after);
}

/** The events of one change of a product that moved no on-hand units (or whose movement is written). */
export function productChangeEvents(before: ProductRecord, after: ProductRecord): PendingEvent[] {
  const changes = productChanges(before, after);
  if (Object.keys(changes).length === 0) return [];
  const { sellerId, id: productId } = after;
  const events: PendingEvent[] = [{ sellerId, productId, data: { type: 'ProductUpdated', changes, product: toProductJson(after) } }];
  if (crossedIntoLowStock(before, after)) {
    events.push({ sellerId, productId, data: { type: 'LowStockWarning', currentQuantity: available(after), threshold: after.lowStockThreshold } });
  }
  return events;
}
