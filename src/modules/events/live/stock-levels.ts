import { badUserInput } from '../../../graphql/errors.js';
import type { Database } from '../../../infra/prisma.js';
import { available, isLowStock } from '../../catalog/product.model.js';
import { parseProductId } from '../../catalog/product.service.js';
import type { EventRecord } from '../event.model.js';
import type { StreamItem } from './event-stream.js';
import { stockSnapshot, type StockRow } from './live.repository.js';
import type { StockLevel } from './stock-level.types.js';

/** Products one stockLevels subscription follows at most: the ones named, or the seller's first (by id). */
export const MAX_STOCK_PRODUCTS = 1000;

export type StockItem = { kind: 'value'; value: StockLevel } | { kind: 'overflow'; cursor: null };

export interface StockLevelsDeps {
  db: Database;
  /** Opens the seller's live event stream after a log position, keeping the events accept() takes. */
  open: (sellerId: string, afterSequence: number, accept: (e: EventRecord) => boolean) => Promise<AsyncIterableIterator<StreamItem>>;
  /** True while the client reads slower than we send. */
  isBackedUp?: () => boolean;
}

/**
 * Current stock of the named products (at most MAX_STOCK_PRODUCTS), or of the seller's first
 * MAX_STOCK_PRODUCTS by id when none are named (new products join while there is room), then
 * every change, with nothing lost in between. Memory stays bounded: the snapshot holds at
 * most MAX_STOCK_PRODUCTS rows, and a client that cannot keep up, during the snapshot or
 * after, gets a final RESUME_FROM_CURSOR-style item and the subscription ends.
 */
export async function openStockLevels(deps: StockLevelsDeps, sellerId: string, productIds: string[] | null | undefined): Promise<AsyncIterableIterator<StockItem>> {
  let named: number[] | undefined;
  if (productIds) {
    if (productIds.length > MAX_STOCK_PRODUCTS) throw badUserInput(`At most ${MAX_STOCK_PRODUCTS} productIds`);
    named = productIds.map(parseProductId).filter((id): id is number => id !== null);
  }
  const snapshot = await stockSnapshot(deps.db, sellerId, named, MAX_STOCK_PRODUCTS);
  const followed = new Set(named ?? snapshot.rows.map((row) => row.id));
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
  const stream = await deps.open(sellerId, snapshot.sequence, accept);
  const queue: StockRow[] = [...snapshot.rows];
  let ended = false;
  const end = async (): Promise<IteratorResult<StockItem>> => {
    ended = true;
    queue.length = 0;
    await stream.return?.();
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<StockItem> = {
    next: async () => {
      if (ended) return { done: true, value: undefined };
      if (queue.length > 0) {
        if (deps.isBackedUp?.()) {
          await end();
          return { done: false, value: { kind: 'overflow', cursor: null } };
        }
        return { done: false, value: { kind: 'value', value: level(queue.shift()!) } };
      }
      const r = await stream.next();
      if (r.done) return { done: true, value: undefined };
      const item = r.value;
      if (item.kind === 'overflow') return { done: false, value: { kind: 'overflow', cursor: null } };
      const product = item.event.payload.product!;
      return {
        done: false,
        value: {
          kind: 'value',
          value: level({ id: product.id, quantity: product.quantity, reserved: product.reserved, lowStockThreshold: product.lowStockThreshold, updatedAt: new Date(product.updatedAt) }),
        },
      };
    },
    return: end,
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
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
