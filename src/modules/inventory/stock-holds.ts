import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { runOneStatement, type Change, type PendingEvent } from '../../infra/unit-of-work.js';
import type { ProductRecord } from '../catalog/product.model.js';
import { productChangeEvents } from '../catalog/product-change.js';
import type { ReservationRecord } from './reservation.model.js';
import { holdStockRows, holdStockWithEvents, type HeldItemRow } from './stock.repository.js';
import type { StockItem } from './stock-items.js';
import { toGlobalId } from '../../graphql/global-id.js';

/** One reservation to make: its (merged) items and how long it holds them. */
export interface HoldRequest {
  sellerId: string;
  items: readonly StockItem[];
  ttlSeconds: number;
}

/** What became of one request of a batch: its own reservation, or its own refusal. */
export type HoldOutcome =
  | { held: true; reservation: ReservationRecord; products: Map<number, ProductRecord> }
  | { held: false; userErrors: UserError[] };

/**
 * Holds stock for one seller's requests in one statement, each all-or-nothing and in order, so
 * a refused request (an unknown product, too few units) never stops another. Returns each
 * request's outcome and, for the unit of work to append, the events of every accepted request
 * in request order: per product a ProductUpdated with its new `reserved`, and a LowStockWarning
 * for the request whose hold crossed into low stock.
 */
export async function applyHolds(tx: Tx, sellerId: string, requests: readonly HoldRequest[]): Promise<Change<HoldOutcome[]>> {
  const ordered = requests.map((r) => ({ ...r, items: [...r.items].sort((a, b) => a.productId - b.productId) }));
  if (ordered.some((r) => r.sellerId !== sellerId)) throw new Error('a hold batch belongs to one seller');
  const rows = await holdStockRows(tx, sellerId, ordered);
  const byRequest = ordered.map((): HeldItemRow[] => []);
  for (const row of rows) byRequest[row.request]!.push(row);
  const events: PendingEvent[] = [];
  const outcomes = ordered.map((request, index): HoldOutcome => {
    const items = byRequest[index]!;
    const reservationId = items[0]?.reservationId ?? null;
    if (reservationId === null) return { held: false, userErrors: items.flatMap((row, i) => refusal(row, request.items[i]!)) };
    const products = new Map<number, ProductRecord>();
    items.forEach((row, i) => {
      const after = row.productAfter!;
      const before = { ...after, reserved: after.reserved - request.items[i]!.quantity, version: after.version - 1 };
      events.push(...productChangeEvents(before, after));
      products.set(after.id, after);
    });
    const at = items[0]!.productAfter!.updatedAt;
    const reservation: ReservationRecord = {
      id: reservationId,
      sellerId,
      status: 'HELD',
      items: request.items.map(({ productId, quantity }) => ({ productId, quantity })),
      expiresAt: items[0]!.expiresAt!,
      createdAt: at,
      updatedAt: at,
    };
    return { held: true, reservation, products };
  });
  return { value: outcomes, events };
}

/** What became of one request of a hot-product batch: its own reservation, or its own refusal. */
export type BatchHoldOutcome = { held: true; reservation: ReservationRecord } | { held: false; userErrors: UserError[] };

/**
 * applyHolds as one statement of its own (holdStockWithEvents): the batch path of reserveStock,
 * where nothing else shares the transaction. Each request gets its own outcome; the events
 * (the same as applyHolds') are appended by the statement itself, last.
 */
export async function holdBatch(db: Database, sellerId: string, requests: readonly HoldRequest[]): Promise<BatchHoldOutcome[]> {
  const ordered = requests.map((r) => ({ ...r, items: [...r.items].sort((a, b) => a.productId - b.productId) }));
  if (ordered.some((r) => r.sellerId !== sellerId)) throw new Error('a hold batch belongs to one seller');
  const rows = await runOneStatement(() => holdStockWithEvents(db, sellerId, ordered));
  const byRequest = ordered.map((): typeof rows => []);
  for (const row of rows) byRequest[row.request]!.push(row);
  return ordered.map((request, index): BatchHoldOutcome => {
    const items = byRequest[index]!;
    const first = items[0];
    if (!first || first.reservationId === null) return { held: false, userErrors: items.flatMap((row, i) => refusal(row, request.items[i]!)) };
    return {
      held: true,
      reservation: {
        id: first.reservationId,
        sellerId,
        status: 'HELD',
        items: request.items.map(({ productId, quantity }) => ({ productId, quantity })),
        expiresAt: first.expiresAt!,
        createdAt: first.at,
        updatedAt: first.at,
      },
    };
  });
}

function refusal(row: Pick<HeldItemRow, 'refusal' | 'productId' | 'availableBefore'>, item: StockItem): UserError[] {
  if (row.refusal === 'NOT_FOUND') return [userError(UserErrorCode.NOT_FOUND, `Product ${toGlobalId('Product', row.productId)} not found`, [...item.at, 'productId'])];
  if (row.refusal === 'INSUFFICIENT_STOCK') {
    return [
      userError(
        UserErrorCode.INSUFFICIENT_STOCK,
        `Only ${row.availableBefore} units of product ${toGlobalId('Product', row.productId)} are available, ${item.quantity} needed`,
        [...item.at, 'quantity'],
      ),
    ];
  }
  return [];
}
