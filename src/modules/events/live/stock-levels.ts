import { badUserInput } from '../../../graphql/errors.js';
import { serialKeyOfInput } from '../../../graphql/global-id.js';
import type { Database } from '../../../infra/prisma.js';
import { available, isLowStock } from '../../catalog/product.model.js';
import type { EventRecord } from '../event.model.js';
import { stockSnapshot, type StockRow } from './live.repository.js';
import type { StockLevel } from './stock-level.types.js';

/** Products one stockLevels subscription follows at most: the ones named, or the seller's first (by id). */
export const MAX_STOCK_PRODUCTS = 1000;

export interface StockLevelsPlan {
  /** Current stock of the followed products, at the log position `sequence`. */
  snapshot: StockLevel[];
  sequence: number;
  /** Which later events change a followed product's stock. */
  accept: (e: EventRecord) => boolean;
}

/**
 * What a stockLevels subscription follows: the named products (at most MAX_STOCK_PRODUCTS), or
 * the seller's first MAX_STOCK_PRODUCTS by id when none are named, new products joining while
 * there is room. Memory stays bounded: the snapshot holds at most MAX_STOCK_PRODUCTS rows, and
 * the live stream ends a client that cannot keep up with RESUME_FROM_CURSOR.
 */
export async function planStockLevels(db: Database, sellerId: string, productIds: string[] | null | undefined): Promise<StockLevelsPlan> {
  let named: number[] | undefined;
  if (productIds) {
    if (productIds.length > MAX_STOCK_PRODUCTS) throw badUserInput(`At most ${MAX_STOCK_PRODUCTS} productIds`);
    named = productIds.map((id, index) => serialKeyOfInput('Product', id, `productIds.${index}`));
  }
  const { rows, sequence } = await stockSnapshot(db, sellerId, named, MAX_STOCK_PRODUCTS);
  const followed = new Set(named ?? rows.map((row) => row.id));
  const joinable = named === undefined;
  const accept = (e: EventRecord): boolean => {
    if (!isStockChange(e)) return false;
    if (followed.has(e.productId)) return true;
    if (joinable && e.type === 'ProductCreated' && followed.size < MAX_STOCK_PRODUCTS) {
      followed.add(e.productId);
      return true;
    }
    return false;
  };
  return { snapshot: rows.map(level), sequence, accept };
}

/** The stock level an accepted event carries. */
export function stockLevelOfEvent(event: EventRecord): StockLevel {
  const product = event.payload.product!;
  return level({ id: product.id, quantity: product.quantity, reserved: product.reserved, lowStockThreshold: product.lowStockThreshold, updatedAt: new Date(product.updatedAt) });
}

function isStockChange(e: EventRecord): boolean {
  if (e.type === 'ProductCreated') return true;
  if (e.type !== 'ProductUpdated') return false;
  const changes = e.payload.changes ?? {};
  return 'quantity' in changes || 'reserved' in changes || 'lowStockThreshold' in changes;
}

function level(p: StockRow): StockLevel {
  return { productId: p.id, quantity: p.quantity, reserved: p.reserved, available: available(p), isLowStock: isLowStock(p), updatedAt: p.updatedAt };
}
