import { expect } from 'vitest';
import { graphql } from '../generated/index.js';
import type { StockMovementReason } from '../generated/graphql.js';
import type { TestApi } from './api.js';

// Operations and helpers shared by the stock, reservation and order tests.

export const CreateStocked = graphql(`
  mutation StockCreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) { product { id } userErrors { field code message } }
  }
`);

export const ProductStock = graphql(`
  query StockOfProduct($id: ID!) {
    product(id: $id) { id quantity reserved available isLowStock version }
  }
`);

export const AdjustStock = graphql(`
  mutation StockAdjust($input: AdjustStockInput!) {
    adjustStock(input: $input) {
      product { id quantity reserved available version }
      userErrors { field code message }
    }
  }
`);

export const ReserveStock = graphql(`
  mutation StockReserve($input: ReserveStockInput!) {
    reserveStock(input: $input) {
      reservation { id status expiresAt createdAt items { productId quantity product { id reserved } } }
      userErrors { field code message }
    }
  }
`);

export const CommitReservation = graphql(`
  mutation StockCommit($id: ID!) {
    commitReservation(id: $id) { reservation { id status } userErrors { field code message } }
  }
`);

export const ReleaseReservation = graphql(`
  mutation StockRelease($id: ID!) {
    releaseReservation(id: $id) { reservation { id status } userErrors { field code message } }
  }
`);

export const ReadReservation = graphql(`
  query StockReadReservation($id: ID!) {
    reservation(id: $id) { id status expiresAt items { productId quantity product { id name } } }
  }
`);

export const PlaceOrder = graphql(`
  mutation StockPlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order { id status total items { productId quantity unitPrice product { id } } reservation { id status } }
      userErrors { field code message }
    }
  }
`);

export const UpdateOrderStatus = graphql(`
  mutation StockUpdateOrderStatus($id: ID!, $status: OrderStatus!) {
    updateOrderStatus(id: $id, status: $status) { order { id status reservation { status } } userErrors { field code message } }
  }
`);

export const CancelOrder = graphql(`
  mutation StockCancelOrder($id: ID!) {
    cancelOrder(id: $id) { order { id status reservation { status } } userErrors { field code message } }
  }
`);

export const ProductEvents = graphql(`
  query StockProductEvents($productId: ID!) {
    events(first: 100, filter: { productId: $productId }) {
      nodes {
        __typename sequence
        ... on ProductUpdated { changes { quantity reserved } }
        ... on LowStockWarning { currentQuantity threshold }
      }
    }
  }
`);

export const Movements = graphql(`
  query StockMovementsOf($id: ID!) {
    product(id: $id) { stockMovements(first: 100) { nodes { delta reason quantityAfter note } } }
  }
`);

/** Creates a product with the given stock (a RECEIVED movement) and returns its id. */
export async function createStocked(api: TestApi, seller: string, quantity: number, extra: { price?: string; lowStockThreshold?: number; name?: string } = {}): Promise<string> {
  const res = await api.gql(
    CreateStocked,
    { input: { name: extra.name ?? 'Stocked', price: extra.price ?? '10.00', category: 'Stock', quantity, lowStockThreshold: extra.lowStockThreshold ?? 0 } },
    { seller },
  );
  expect(res.data?.createProduct.userErrors).toEqual([]);
  return res.data!.createProduct.product!.id;
}

export async function stockOf(api: TestApi, seller: string, id: string) {
  const res = await api.gql(ProductStock, { id }, { seller });
  return res.data!.product!;
}

export async function adjust(api: TestApi, seller: string, productId: string, delta: number, reason: StockMovementReason = 'RECEIVED') {
  const res = await api.gql(AdjustStock, { input: { productId, delta, reason } }, { seller });
  expect(res.data?.adjustStock.userErrors).toEqual([]);
  return res.data!.adjustStock.product!;
}

/** Holds the items; fails the test unless the reservation was made. */
export async function reserve(api: TestApi, seller: string, items: { productId: string; quantity: number }[], ttlSeconds?: number) {
  const res = await api.gql(ReserveStock, { input: { items, ttlSeconds } }, { seller });
  expect(res.data?.reserveStock.userErrors).toEqual([]);
  return res.data!.reserveStock.reservation!;
}

export async function productEvents(api: TestApi, seller: string, productId: string) {
  const res = await api.gql(ProductEvents, { productId }, { seller });
  return res.data!.events.nodes;
}

export async function waitFor<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Every way a seller's stock could be wrong: a product outside 0 <= reserved <= quantity,
 * `reserved` differing from its HELD reservation items, `quantity` differing from the sum of its
 * movements (products start at 0, initial stock is a movement), or a movement whose
 * quantityAfter is not the running sum.
 */
export async function stockViolations(api: TestApi, sellerId: string): Promise<string[]> {
  const products = await api.infra.db.$queryRaw<{ id: number; quantity: number; reserved: number; held: number; moved: number }[]>`
    SELECT p.id, p.quantity, p.reserved,
      COALESCE((SELECT sum(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
                WHERE r.status = 'HELD' AND r.seller_id = p.seller_id AND i.product_id = p.id), 0)::int AS held,
      COALESCE((SELECT sum(m.delta) FROM stock_movements m WHERE m.product_id = p.id), 0)::int AS moved
    FROM products p WHERE p.seller_id = ${sellerId} ORDER BY p.id`;
  const violations: string[] = [];
  for (const p of products) {
    if (!(p.reserved >= 0 && p.reserved <= p.quantity)) violations.push(`product ${p.id}: reserved ${p.reserved}, quantity ${p.quantity}`);
    if (p.reserved !== p.held) violations.push(`product ${p.id}: reserved ${p.reserved}, but HELD reservations hold ${p.held}`);
    if (p.quantity !== p.moved) violations.push(`product ${p.id}: quantity ${p.quantity}, but movements sum to ${p.moved}`);
  }
  const drifting = await api.infra.db.$queryRaw<{ id: number }[]>`
    SELECT id FROM (
      SELECT id, quantity_after, sum(delta) OVER (PARTITION BY product_id ORDER BY id) AS running
      FROM stock_movements WHERE seller_id = ${sellerId}) m
    WHERE quantity_after <> running`;
  for (const m of drifting) violations.push(`movement ${m.id}: quantityAfter is not the running sum`);
  return violations;
}

export async function expectStockInvariants(api: TestApi, ...sellers: string[]): Promise<void> {
  for (const seller of sellers) expect(await stockViolations(api, seller), `stock of ${seller}`).toEqual([]);
}
