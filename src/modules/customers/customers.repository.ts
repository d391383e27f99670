import type { Customer } from '../../generated/prisma/client.js';
import type { Database, Tx } from '../../infra/prisma.js';
import type { CustomerFields, CustomerRecord } from './customer.model.js';
import { escapeLike } from '../../infra/like-pattern.js';

type Db = Database | Tx;

function toRecord(row: Customer): CustomerRecord {
  return { id: row.id, sellerId: row.sellerId, email: row.email, name: row.name, phone: row.phone, createdAt: row.createdAt };
}

/**
 * The seller's customer with this email (any case), created if there is none; a known customer
 * keeps its name and phone and only gains those it lacked. One statement, so concurrent orders
 * of one new customer make one customer.
 */
export async function findOrCreateCustomer(tx: Tx, sellerId: string, fields: CustomerFields): Promise<number> {
  const [row] = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO customers (seller_id, email, email_key, name, phone)
    VALUES (${sellerId}, ${fields.email}, ${fields.email.toLowerCase()}, ${fields.name ?? null}, ${fields.phone ?? null})
    ON CONFLICT (seller_id, email_key) DO UPDATE
      SET name = coalesce(customers.name, excluded.name), phone = coalesce(customers.phone, excluded.phone)
    RETURNING id`;
  return row!.id;
}

export async function findCustomer(db: Db, sellerId: string, id: number): Promise<CustomerRecord | null> {
  const row = await db.customer.findFirst({ where: { id, sellerId } });
  return row && toRecord(row);
}

export async function findCustomers(db: Db, sellerId: string, ids: readonly number[]): Promise<CustomerRecord[]> {
  const rows = await db.customer.findMany({ where: { sellerId, id: { in: [...ids] } } });
  return rows.map(toRecord);
}

/** Prisma's contains is a LIKE: the search's own wildcards are escaped. */
function searchFilter(search: string | undefined) {
  if (search === undefined) return {};
  const part = escapeLike(search);
  return { OR: [{ email: { contains: part, mode: 'insensitive' as const } }, { name: { contains: part, mode: 'insensitive' as const } }, { phone: { contains: part } }] };
}

/** A page of the seller's customers, newest first, with ids below `beforeId`, matching `search` in email, name or phone. */
export async function listCustomers(db: Db, sellerId: string, search: string | undefined, beforeId: number | undefined, limit: number): Promise<CustomerRecord[]> {
  const rows = await db.customer.findMany({
    where: { sellerId, ...searchFilter(search), ...(beforeId !== undefined ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: 'desc' },
    take: limit,
  });
  return rows.map(toRecord);
}

export async function countCustomers(db: Db, sellerId: string, search: string | undefined): Promise<number> {
  return db.customer.count({ where: { sellerId, ...searchFilter(search) } });
}
