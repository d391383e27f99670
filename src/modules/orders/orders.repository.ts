import { Decimal } from 'decimal.js';
import type { Order, OrderItem } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { OrderItemRecord, OrderRecord, OrderStatusName } from './order.model.js';

type Db = Database | Tx;

const withItems = { items: { orderBy: { productId: 'asc' as const } } };

function toRecord(row: Order & { items: OrderItem[] }): OrderRecord {
  return {
    id: row.id,
    sellerId: row.sellerId,
    status: row.status,
    items: row.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: new Decimal(i.unitPrice.toString()) })),
    total: new Decimal(row.total.toString()),
    reservationId: row.reservationId,
    customerId: row.customerId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function insertOrder(
  tx: Tx,
  sellerId: string,
  reservationId: number,
  items: OrderItemRecord[],
  total: Decimal,
  customerId: number | null,
): Promise<OrderRecord> {
  const row = await tx.order.create({
    data: {
      sellerId,
      reservationId,
      customerId,
      total: total.toFixed(2),
      items: { create: items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: i.unitPrice.toFixed(2) })) },
    },
    include: withItems,
  });
  return toRecord(row);
}

export async function findOrder(db: Db, sellerId: string, id: number): Promise<OrderRecord | null> {
  const row = await db.order.findFirst({ where: { id, sellerId }, include: withItems });
  return row && toRecord(row);
}

export async function findOrders(db: Db, sellerId: string, ids: readonly number[]): Promise<OrderRecord[]> {
  const rows = await db.order.findMany({ where: { id: { in: [...ids] }, sellerId }, include: withItems });
  return rows.map(toRecord);
}

/** Reads the seller's order under a row lock held until the transaction ends. */
export async function lockOrder(tx: Tx, sellerId: string, id: number): Promise<OrderRecord | null> {
  const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM orders WHERE id = ${id} AND seller_id = ${sellerId} FOR UPDATE`;
  return locked.length === 0 ? null : findOrder(tx, sellerId, id);
}

/** Moves an order from one status to another; false when it was not in `from`. */
export async function setOrderStatus(tx: Tx, id: number, from: OrderStatusName, to: OrderStatusName): Promise<boolean> {
  const { count } = await tx.order.updateMany({ where: { id, status: from }, data: { status: to, updatedAt: new Date() } });
  return count === 1;
}

/** Which of the seller's orders a list shows. */
export interface OrderFilter {
  status?: OrderStatusName;
  customerId?: number;
}

const filterWhere = (sellerId: string, filter: OrderFilter) => ({
  sellerId,
  ...(filter.status ? { status: filter.status } : {}),
  ...(filter.customerId !== undefined ? { customerId: filter.customerId } : {}),
});

/** A page of the seller's orders, newest first, with ids below `beforeId`. */
export async function listOrders(db: Db, sellerId: string, filter: OrderFilter, beforeId: number | undefined, limit: number): Promise<OrderRecord[]> {
  const rows = await db.order.findMany({
    where: { ...filterWhere(sellerId, filter), ...(beforeId !== undefined ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: 'desc' },
    take: limit,
    include: withItems,
  });
  return rows.map(toRecord);
}

export async function countOrders(db: Db, sellerId: string, filter: OrderFilter): Promise<number> {
  return db.order.count({ where: filterWhere(sellerId, filter) });
}
