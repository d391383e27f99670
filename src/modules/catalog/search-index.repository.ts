// The side table product search reads (product_search, one trigram index) and the queue of
// products it has not indexed yet (product_search_queue, filled by triggers on products in the
// writer's transaction: migration product_search_side_index).
import { Prisma } from '../../generated/prisma/client.js';
import { inTransaction, type Database } from '../../infra/prisma.js';
import { escapeLike } from '../../infra/like-pattern.js';

/**
 * Indexes up to `limit` queued products with their current text and takes them off the queue,
 * in one transaction (queue rows another indexer holds are skipped). The products are locked
 * FOR SHARE, in id order as every writer locks them, before anything is written: a writer still
 * changing one is waited for (its trigger may have found the product's queue row already there
 * and added nothing), and the text read next is the one it committed. Writers never wait for the
 * locked queue rows (their insert does nothing on a conflict), so this cannot deadlock with them.
 * work_mem is raised: at the default 4 MB PostgreSQL merges the trigram index's pending list in
 * many small passes, which took about 1.6x as long.
 * The taken rows are deleted by both columns of the queue's key as arrays (a product has one
 * queue row, of its own seller), which PostgreSQL probes in the key's index; the pairs joined
 * from unnest were planned as a hash join over a scan of the whole queue, dead rows included,
 * O(products queued so far) per call during an import.
 * Returns how many queue rows it took (fewer than `limit`: the queue is drained).
 */
export async function indexQueuedProducts(db: Database, limit: number): Promise<number> {
  return inTransaction(db, async (tx) => {
    const queued = await tx.$queryRaw<{ seller_id: string; product_id: number }[]>`
      SELECT seller_id, product_id FROM product_search_queue ORDER BY seller_id, product_id LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`;
    if (queued.length === 0) return 0;
    const ids = queued.map((q) => q.product_id);
    const sellers = [...new Set(queued.map((q) => q.seller_id))];
    await tx.$executeRaw`SELECT set_config('work_mem', '64MB', true)`;
    await tx.$executeRaw`SELECT id FROM products WHERE id = ANY(${ids}::int[]) ORDER BY id FOR SHARE`;
    await tx.$executeRaw`
      WITH gone AS (
        DELETE FROM product_search_queue WHERE seller_id = ANY(${sellers}::text[]) AND product_id = ANY(${ids}::int[])
      )
      INSERT INTO product_search (product_id, seller_id, doc)
      SELECT id, seller_id, name || ' ' || coalesce(description, '') || ' ' || coalesce(sku, '') FROM products WHERE id = ANY(${ids}::int[])
      ON CONFLICT (product_id) DO UPDATE SET doc = excluded.doc`;
    return queued.length;
  });
}

/** Shortest search a trigram index can serve (limits/cost.ts prices shorter ones as a scan). */
const SHORTEST_INDEXED_SEARCH = 3;

/**
 * The search condition on products (unqualified columns): exact ILIKE on name, description and
 * SKU. From 3 characters, over the candidates the trigram index finds for the seller plus the
 * seller's products not indexed yet, so a product is found as soon as its write commits; a
 * shorter search has no trigram to look up and reads the seller's products.
 */
export function searchSql(sellerId: string, search: string): Prisma.Sql {
  const pattern = `%${escapeLike(search)}%`;
  const exact = Prisma.sql`(name ILIKE ${pattern} OR description ILIKE ${pattern} OR sku ILIKE ${pattern})`;
  if (search.length < SHORTEST_INDEXED_SEARCH) return exact;
  return Prisma.sql`id IN (
      SELECT product_id FROM product_search WHERE seller_id = ${sellerId} AND doc ILIKE ${pattern}
      UNION ALL
      SELECT product_id FROM product_search_queue WHERE seller_id = ${sellerId}
    ) AND ${exact}`;
}
