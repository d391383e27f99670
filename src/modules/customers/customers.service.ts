import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import { containsNul } from '../../graphql/nul-characters.js';
import { decodeCursor, encodeCursor, pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import type { Database } from '../../infra/prisma.js';
import type { CustomerRecord } from './customer.model.js';
import * as customers from './customers.repository.js';

export class CustomersService {
  constructor(private readonly db: Database) {}

  async customer(sellerId: string, id: string): Promise<CustomerRecord | null> {
    return customers.findCustomer(this.db, sellerId, serialKeyOfInput('Customer', id, 'id'));
  }

  customersByIds(sellerId: string, ids: readonly number[]): Promise<CustomerRecord[]> {
    return customers.findCustomers(this.db, sellerId, ids);
  }

  /** The seller's customers, newest first; `search` matches email, name or phone, any case. */
  async customers(sellerId: string, args: { first?: number | null; after?: string | null; search?: string | null }): Promise<Connection<CustomerRecord>> {
    const request = pageRequest({ first: args.first, after: args.after });
    let beforeId: number | undefined;
    if (request.cursor !== undefined) {
      const [id] = decodeCursor('customer', request.cursor);
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw badUserInput('Invalid cursor');
      beforeId = id;
    }
    const search = args.search?.trim() || undefined;
    if (search !== undefined && (search.length > 200 || containsNul(search))) throw badUserInput('search must be at most 200 characters');
    const rows = await customers.listCustomers(this.db, sellerId, search, beforeId, request.size + 1);
    const db = this.db;
    let total: Promise<number> | undefined;
    return {
      ...toConnection(rows, request, (c) => encodeCursor('customer', [c.id]), beforeId !== undefined),
      get totalCount() {
        return (total ??= customers.countCustomers(db, sellerId, search));
      },
    };
  }
}
