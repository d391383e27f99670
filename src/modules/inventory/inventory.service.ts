import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import { decodeCursor, encodeCursor, pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import { UserErrorCode, userError, withUserErrors, type UserError } from '../../graphql/user-errors.js';
import type { Database } from '../../infra/prisma.js';
import { runUnitOfWork, type PendingEvent } from '../../infra/unit-of-work.js';
import type { ProductRecord } from '../catalog/product.model.js';
import { findProduct } from '../catalog/product.repository.js';
import { type ProductResult } from '../catalog/product.service.js';
import { checkIdempotencyKey, once } from '../idempotency/idempotency.js';
import { STOCK_MOVEMENT_REASONS, type StockMovementReason, type StockMovementRecord } from './stock-movement.model.js';
import { findMovements, listMovements } from './stock-movements.repository.js';
import { changeStock } from './stock-change.js';

export interface AdjustStockArgs {
  productId: string;
  delta: number;
  reason: StockMovementReason;
  note?: string | null;
  idempotencyKey?: string | null;
}

const MAX_NOTE_LENGTH = 1000;

export class InventoryService {
  constructor(private readonly db: Database) {}

  /** A product's stock movements, oldest first. */
  async stockMovements(sellerId: string, productId: number, args: { first?: number | null; after?: string | null }): Promise<Connection<StockMovementRecord>> {
    const request = pageRequest({ first: args.first, after: args.after });
    let afterId = 0;
    if (request.cursor !== undefined) {
      const [id] = decodeCursor('movement', request.cursor);
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw badUserInput('Invalid cursor');
      afterId = id;
    }
    const rows = await listMovements(this.db, sellerId, productId, afterId, request.size + 1);
    return toConnection(rows, request, (m) => encodeCursor('movement', [m.id]), afterId > 0);
  }

  movementsByIds(sellerId: string, ids: readonly number[]): Promise<StockMovementRecord[]> {
    return findMovements(this.db, sellerId, ids);
  }

  /** Changes on-hand stock by delta as one movement; it may not go below what reservations hold. */
  async adjustStock(sellerId: string, args: AdjustStockArgs): Promise<ProductResult> {
    const productId = serialKeyOfInput('Product', args.productId, 'input.productId');
    const userErrors: UserError[] = [];
    if (!Number.isInteger(args.delta) || args.delta === 0) userErrors.push(userError(UserErrorCode.INVALID, 'Delta must be a non-zero whole number', ['input', 'delta']));
    if (!STOCK_MOVEMENT_REASONS.includes(args.reason)) userErrors.push(userError(UserErrorCode.INVALID, 'Unknown reason', ['input', 'reason']));
    if (args.note != null && [...args.note].length > MAX_NOTE_LENGTH) {
      userErrors.push(userError(UserErrorCode.INVALID, `Note must be at most ${MAX_NOTE_LENGTH} characters`, ['input', 'note']));
    }
    userErrors.push(...checkIdempotencyKey(args.idempotencyKey));
    if (userErrors.length > 0) return { product: null, userErrors };

    const { delta, reason } = args;
    const note = args.note ?? null;
    const result = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        const request = { sellerId, operation: 'adjustStock' as const, key: args.idempotencyKey, input: { productId, delta, reason, note } };
        let changed: { product: ProductRecord | undefined; events: PendingEvent[] } | undefined;
        await once(tx, request, async () => {
          const change = { productId, quantity: delta, productField: ['input', 'productId'], amountField: ['input', 'delta'] };
          const { products, events } = await changeStock(tx, sellerId, [change], { reason, note });
          changed = { product: products.get(productId), events };
          return productId;
        });
        // a replay answers with the product as it is now
        return { value: changed?.product ?? (await findProduct(tx, sellerId, productId)), events: changed?.events ?? [] };
      }),
    );
    if (!result.ok) return { product: null, userErrors: result.userErrors };
    const product = result.value.value;
    if (!product) return { product: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'Product not found', ['input', 'productId'])] };
    return { product, userErrors: [] };
  }
}
