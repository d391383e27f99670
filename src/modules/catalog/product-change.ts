import type { Tx } from '../../infra/prisma.js';
import type { EventRecord } from '../events/event.model.js';
import { appendEvent } from '../events/events.repository.js';
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
 * Records everything that follows a committed change of a locked product, in the
 * change's transaction: the stock movement (when on-hand quantity moved), the
 * ProductUpdated event with only the changed fields, and a LowStockWarning when the
 * change crosses into low stock. Every path that changes a product goes through here.
 */
export async function recordProductChange(tx: Tx, before: ProductRecord, after: ProductRecord, stock?: StockReason): Promise<EventRecord[]> {
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
  const changes = productChanges(before, after);
  if (Object.keys(changes).length === 0) return [];
  const events = [await appendEvent(tx, after.sellerId, after.id, { type: 'ProductUpdated', changes, product: toProductJson(after) })];
  if (crossedIntoLowStock(before, after)) {
    events.push(
      await appendEvent(tx, after.sellerId, after.id, {
        type: 'LowStockWarning',
        currentQuantity: available(after),
        threshold: after.lowStockThreshold,
      }),
    );
  }
  return events;
}

/** Records a new product: its initial stock as a RECEIVED movement and its ProductCreated event. */
export async function recordProductCreated(tx: Tx, product: ProductRecord, stock: StockReason = { reason: 'RECEIVED', note: 'initial stock' }) {
  if (product.quantity !== 0) {
    await recordMovement(tx, {
      sellerId: product.sellerId,
      productId: product.id,
      delta: product.quantity,
      reason: stock.reason,
      quantityAfter: product.quantity,
      note: stock.note ?? null,
    });
  }
  return appendEvent(tx, product.sellerId, product.id, { type: 'ProductCreated', product: toProductJson(product) });
}
