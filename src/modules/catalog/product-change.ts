import type { Tx } from '../../infra/prisma.js';
import type { EventRecord } from '../events/event.model.js';
import { appendEvents } from '../events/events.repository.js';
import type { PendingEvent } from '../../infra/unit-of-work.js';
import type { StockMovementReason } from '../inventory/stock-movement.model.js';
import { recordMovement, recordMovements } from '../inventory/stock-movements.repository.js';
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

/** One product of a bulk write: before is null for a product the write created. */
export interface ProductWrite {
  before: ProductRecord | null;
  after: ProductRecord;
}

/**
 * The bulk form of recordProductCreated and recordProductChange (imports): the same
 * movements and events for each write, in the order given, written with one statement
 * per table instead of several per product. All writes belong to one seller.
 */
export async function recordProductWrites(tx: Tx, sellerId: string, writes: ProductWrite[], stock: StockReason): Promise<EventRecord[]> {
  const movements: Parameters<typeof recordMovements>[1] = [];
  const events: Parameters<typeof appendEvents>[2] = [];
  for (const { before, after } of writes) {
    if (after.sellerId !== sellerId) throw new Error('a bulk write spans sellers');
    const delta = after.quantity - (before?.quantity ?? 0);
    if (delta !== 0) {
      movements.push({ sellerId, productId: after.id, delta, reason: stock.reason, quantityAfter: after.quantity, note: stock.note ?? null });
    }
    if (!before) {
      events.push({ productId: after.id, data: { type: 'ProductCreated', product: toProductJson(after) } });
      continue;
    }
    const changes = productChanges(before, after);
    if (Object.keys(changes).length === 0) continue;
    events.push({ productId: after.id, data: { type: 'ProductUpdated', changes, product: toProductJson(after) } });
    if (crossedIntoLowStock(before, after)) {
      events.push({ productId: after.id, data: { type: 'LowStockWarning', currentQuantity: available(after), threshold: after.lowStockThreshold } });
    }
  }
  await recordMovements(tx, movements);
  return appendEvents(tx, sellerId, events);
}
