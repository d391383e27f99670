import type { Database } from '../../src/infra/prisma.js';
import { Random } from './random.js';

const FIRST = ['Ava', 'Liam', 'Maya', 'Noah', 'Zoe', 'Omar', 'Ines', 'Jonas', 'Priya', 'Mateo', 'Chloe', 'Felix', 'Hana', 'Lucas', 'Nora', 'Theo', 'Amara', 'Diego', 'Elif', 'Kai'];
const LAST = ['Nguyen', 'Garcia', 'Okafor', 'Schmidt', 'Rossi', 'Kowalski', 'Haddad', 'Silva', 'Tanaka', 'Moreau', 'Larsen', 'Patel', 'Murphy', 'Costa', 'Novak', 'Ibrahim'];

export const CUSTOMERS_PER_SHOP = 160;

export interface DemoCustomer {
  email: string;
  name: string;
  phone: string | null;
}

/** The shop's customers: the same every run; about two in three gave a phone number. */
export function planCustomers(sellerId: string): DemoCustomer[] {
  const random = Random.of(`${sellerId}:customers`);
  return Array.from({ length: CUSTOMERS_PER_SHOP }, (_, i) => {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const phone = random.next() < 0.65 ? `+1 555 ${String(1000 + i).padStart(4, '0')} ${String(random.int(100, 999))}` : null;
    return { email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(), name: `${first} ${last}`, phone };
  });
}

/**
 * Writes the shop's customers and spreads the seller's orders without a customer over them, a
 * few regulars buying far more often than the rest. Returns how many of each it wrote.
 */
export async function writeCustomers(db: Database, sellerId: string): Promise<{ customers: number; orders: number }> {
  const planned = planCustomers(sellerId);
  return db.$transaction(async (tx) => {
    const customers = await tx.$executeRaw`
      INSERT INTO customers (seller_id, email, email_key, name, phone)
      SELECT ${sellerId}, email, email, name, phone
      FROM unnest(${planned.map((c) => c.email)}::text[], ${planned.map((c) => c.name)}::text[], ${planned.map((c) => c.phone)}::text[]) AS t(email, name, phone)
      ON CONFLICT (seller_id, email_key) DO NOTHING`;
    // squaring a uniform draw makes the first customers (the regulars) the likeliest buyers
    const orders = await tx.$executeRaw`
      WITH shop AS (SELECT array_agg(id ORDER BY id) AS ids FROM customers WHERE seller_id = ${sellerId}),
      picked AS (
        SELECT o.id, shop.ids[1 + floor(power(abs(hashtext(o.id::text)) / 2147483648.0, 2) * array_length(shop.ids, 1))::int] AS customer_id
        FROM orders o, shop WHERE o.seller_id = ${sellerId} AND o.customer_id IS NULL)
      UPDATE orders o SET customer_id = picked.customer_id FROM picked WHERE o.id = picked.id`;
    return { customers, orders };
  }, { timeout: 60_000 });
}
