import { Decimal } from 'decimal.js';
import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOfInput, toGlobalId } from '../../graphql/global-id.js';
import { decodeCursor, encodeCursor, pageRequest, toConnection, type Connection } from '../../graphql/pagination.js';
import { UserErrorCode, UserErrorsThrown, userError, withUserErrors, type UserError } from '../../graphql/user-errors.js';
import type { Database, Tx } from '../../infra/prisma.js';
import { runUnitOfWork, type PendingEvent } from '../../infra/unit-of-work.js';
import { checkIdempotencyKey, once } from '../idempotency/idempotency.js';
import { applyHolds } from '../inventory/stock-holds.js';
import type { ReservationRecord } from '../inventory/reservation.model.js';
import type { ExpirySchedule } from '../inventory/reservations.service.js';
import { checkStockItems, checkTtl, normalizedItems, type ItemInput } from '../inventory/stock-items.js';
import { checkCustomerFields } from '../customers/customer-input.js';
import type { CustomerFields } from '../customers/customer.model.js';
import { findCustomer, findOrCreateCustomer } from '../customers/customers.repository.js';
import type { NotificationOutbox } from '../notifications/notification-outbox.js';
import { refundCancelledOrder, type RefundSettlement } from '../payments/cancelled-order-refunds.js';
import { NEXT_STATUS, type OrderRecord, type OrderStatusName } from './order.model.js';
import { moveOrder, returnOrderStock, sellOrderStock } from './order-transitions.js';
import * as orders from './orders.repository.js';

export type OrderResult = { order: OrderRecord | null; userErrors: UserError[] };

export interface PlaceOrderArgs {
  items: ItemInput[];
  ttlSeconds?: number | null;
  idempotencyKey?: string | null;
  customerId?: string | null;
  customer?: CustomerFields | null;
}

/** Who an order is for: a known customer, one found or created by email, or nobody. */
type CustomerChoice = { kind: 'none' } | { kind: 'id'; id: number } | { kind: 'fields'; fields: CustomerFields };

function checkCustomerChoice(args: PlaceOrderArgs): { ok: true; value: CustomerChoice } | { ok: false; errors: UserError[] } {
  if (args.customerId != null && args.customer != null) {
    return { ok: false, errors: [userError(UserErrorCode.INVALID, 'Give customerId or customer, not both', ['input', 'customer'])] };
  }
  if (args.customerId != null) {
    return { ok: true, value: { kind: 'id', id: serialKeyOfInput('Customer', args.customerId, 'input.customerId') } };
  }
  if (args.customer == null) return { ok: true, value: { kind: 'none' } };
  const fields = checkCustomerFields(args.customer, ['input', 'customer']);
  return fields.ok ? { ok: true, value: { kind: 'fields', fields: fields.value } } : fields;
}

const customerNotFound = () => userError(UserErrorCode.NOT_FOUND, 'Customer not found', ['input', 'customerId']);

const notFound = () => userError(UserErrorCode.NOT_FOUND, 'Order not found', ['id']);

export class OrdersService {
  constructor(
    private readonly db: Database,
    private readonly expiry: ExpirySchedule,
    private readonly outbox: NotificationOutbox,
    private readonly refunds: RefundSettlement,
  ) {}

  async order(sellerId: string, id: string): Promise<OrderRecord | null> {
    return orders.findOrder(this.db, sellerId, serialKeyOfInput('Order', id, 'id'));
  }

  ordersByIds(sellerId: string, ids: readonly number[]): Promise<OrderRecord[]> {
    return orders.findOrders(this.db, sellerId, ids);
  }

  /** The seller's orders, newest first, optionally of one status. */
  async orders(
    sellerId: string,
    args: { first?: number | null; after?: string | null; status?: OrderStatusName | null },
    customerId?: number,
  ): Promise<Connection<OrderRecord>> {
    const request = pageRequest({ first: args.first, after: args.after });
    let beforeId: number | undefined;
    if (request.cursor !== undefined) {
      const [id] = decodeCursor('order', request.cursor);
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw badUserInput('Invalid cursor');
      beforeId = id;
    }
    const filter = { status: args.status ?? undefined, customerId };
    const rows = await orders.listOrders(this.db, sellerId, filter, beforeId, request.size + 1);
    const db = this.db;
    let total: Promise<number> | undefined;
    return {
      ...toConnection(rows, request, (o) => encodeCursor('order', [o.id]), beforeId !== undefined),
      // counted only when a client asks for it
      get totalCount() {
        return (total ??= orders.countOrders(db, sellerId, filter));
      },
    };
  }

  /** Holds the items and creates a PENDING order priced at the products' current prices. */
  async placeOrder(sellerId: string, args: PlaceOrderArgs): Promise<OrderResult> {
    const items = checkStockItems(args.items);
    const ttl = checkTtl(args.ttlSeconds);
    const customer = checkCustomerChoice(args);
    const userErrors = [
      ...(items.ok ? [] : items.errors),
      ...(ttl.ok ? [] : ttl.errors),
      ...(customer.ok ? [] : customer.errors),
      ...checkIdempotencyKey(args.idempotencyKey),
    ];
    if (!items.ok || !ttl.ok || !customer.ok || userErrors.length > 0) return { order: null, userErrors };

    const result = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        const input = { items: normalizedItems(items.value), ttl: ttl.value, ...(customer.value.kind === 'none' ? {} : { customer: customer.value }) };
        const request = { sellerId, operation: 'placeOrder' as const, key: args.idempotencyKey, input };
        let held: ReservationRecord | undefined;
        let events: PendingEvent[] = [];
        const { id } = await once(tx, request, async () => {
          const customerId = await this.customerFor(tx, sellerId, customer.value);
          const applied = await applyHolds(tx, sellerId, [{ sellerId, items: items.value, ttlSeconds: ttl.value }]);
          const outcome = applied.value[0]!;
          if (!outcome.held) throw new UserErrorsThrown(outcome.userErrors);
          held = outcome.reservation;
          events = applied.events;
          const lines = items.value.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPrice: outcome.products.get(item.productId)!.price }));
          const total = lines.reduce((sum, line) => sum.plus(line.unitPrice.times(line.quantity)), new Decimal(0));
          return (await orders.insertOrder(tx, sellerId, outcome.reservation.id, lines, total, customerId)).id;
        });
        return { value: { order: (await orders.findOrder(tx, sellerId, id))!, held }, events };
      }),
    );
    if (!result.ok) return { order: null, userErrors: result.userErrors };
    if (result.value.value.held) this.expiry.schedule(result.value.value.held);
    return { order: result.value.value.order, userErrors: [] };
  }

  private async customerFor(tx: Tx, sellerId: string, choice: CustomerChoice): Promise<number | null> {
    if (choice.kind === 'none') return null;
    if (choice.kind === 'fields') return findOrCreateCustomer(tx, sellerId, choice.fields);
    if (!(await findCustomer(tx, sellerId, choice.id))) throw new UserErrorsThrown([customerNotFound()]);
    return choice.id;
  }

  /** PENDING -> CONFIRMED (sells the held stock) -> SHIPPED -> DELIVERED; nothing else. */
  updateOrderStatus(sellerId: string, id: string, status: OrderStatusName): Promise<OrderResult> {
    return this.transition(sellerId, id, async (tx, order): Promise<{ next: OrderStatusName; events: PendingEvent[] }> => {
      if (NEXT_STATUS[order.status] !== status) {
        const hint = status === 'CANCELLED' ? '; use cancelOrder' : '';
        throw new UserErrorsThrown([
          userError(UserErrorCode.INVALID_TRANSITION, `An order cannot move from ${order.status} to ${status}${hint}`, ['status']),
        ]);
      }
      if (status !== 'CONFIRMED') return { next: status, events: [] };
      return { next: status, events: await sellOrderStock(tx, order) };
    });
  }

  /**
   * PENDING: the held stock is released. CONFIRMED: the sold stock comes back (RETURNED).
   * Either way, what its payments brought in is refunded.
   */
  async cancelOrder(sellerId: string, id: string): Promise<OrderResult> {
    let refundIds: number[] = [];
    const result = await this.transition(sellerId, id, async (tx, order) => {
      if (order.status === 'PENDING' || order.status === 'CONFIRMED') {
        const events = await returnOrderStock(tx, order, `order ${toGlobalId('Order', order.id)} cancelled`);
        refundIds = await refundCancelledOrder(tx, sellerId, order.id, 'The order was cancelled');
        return { next: 'CANCELLED', events };
      }
      throw new UserErrorsThrown([userError(UserErrorCode.INVALID_TRANSITION, `A ${order.status} order cannot be cancelled`, ['id'])]);
    });
    if (refundIds.length > 0) await this.refunds.settle(refundIds);
    return result;
  }

  /** Locks the order, lets `decide` do the stock work and name the new status, and moves it there. */
  private async transition(
    sellerId: string,
    id: string,
    decide: (tx: Tx, order: OrderRecord) => Promise<{ next: OrderStatusName; events: PendingEvent[] }>,
  ): Promise<OrderResult> {
    const orderId = serialKeyOfInput('Order', id, 'id');
    const result = await withUserErrors(() =>
      runUnitOfWork(this.db, async (tx) => {
        const order = await orders.lockOrder(tx, sellerId, orderId);
        if (!order) throw new UserErrorsThrown([notFound()]);
        const { next, events } = await decide(tx, order);
        await moveOrder(tx, this.outbox, order, next);
        return { value: (await orders.findOrder(tx, sellerId, orderId))!, events };
      }),
    );
    return result.ok ? { order: result.value.value, userErrors: [] } : { order: null, userErrors: result.userErrors };
  }
}
