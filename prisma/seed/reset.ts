import type { Database } from '../../src/infra/prisma.js';

/**
 * Removes everything one seller has: catalog, history, customers, payments, notifications, reservations, events, analytics,
 * idempotency keys, jobs and webhooks. One transaction; other sellers are untouched. The seller's
 * row (the head of its event log) and its relay position stay: the log goes on from the same
 * sequence as after retention trimmed it, so the relay and open subscriptions carry on and no
 * sequence is ever used twice.
 */
export async function resetSeller(db: Database, sellerId: string): Promise<{ products: number; orders: number; events: number }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM notifications WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM refunds WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM payments WHERE seller_id = ${sellerId}`;
    const orders = await tx.$executeRaw`DELETE FROM orders WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM customers WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM reservations WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM stock_movements WHERE seller_id = ${sellerId}`;
    const products = await tx.$executeRaw`DELETE FROM products WHERE seller_id = ${sellerId}`;
    const events = await tx.$executeRaw`DELETE FROM events WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM analytics_inbox WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM analytics_daily_counts WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM idempotency_keys WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM import_staged_rows WHERE job_id IN (SELECT id FROM jobs WHERE seller_id = ${sellerId})`;
    await tx.$executeRaw`DELETE FROM jobs WHERE seller_id = ${sellerId}`;
    await tx.$executeRaw`DELETE FROM webhooks WHERE seller_id = ${sellerId}`;
    return { products, orders, events };
  }, { timeout: 60_000 });
}
