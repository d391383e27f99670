import { decodeCursor, encodeCursor, pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import { badUserInput } from '../../graphql/errors.js';
import type { Database } from '../../infra/prisma.js';
import type { StockMovementRecord } from './stock-movement.model.js';
import { listMovements } from './stock-movements.repository.js';

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
}
