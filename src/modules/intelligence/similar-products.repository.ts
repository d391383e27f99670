import type { Database } from '../../infra/prisma.js';
import { fromRaw, type RawProduct } from '../catalog/product.repository.js';
import type { ProductRecord } from '../catalog/product.model.js';

export interface SimilarProduct {
  product: ProductRecord;
  score: number;
  sameCategory: boolean;
  sharedWords: string[];
}

/**
 * Brings the seller's product words (PostgreSQL full-text lexemes of name and description,
 * 'simple' configuration: no stemming, any language) up to date in one statement: the words no
 * longer there go, the new ones come, the rest is not written again. One statement is atomic
 * without a long transaction, so a read sees the words before or after, never none.
 */
export async function recomputeProductTerms(db: Database, sellerId: string): Promise<void> {
  await db.$executeRaw`
    WITH fresh AS (
      SELECT DISTINCT p.id AS product_id, t.lexeme AS term
      FROM products p, unnest(to_tsvector('simple', p.name || ' ' || coalesce(p.description, ''))) t
      WHERE p.seller_id = ${sellerId} AND length(t.lexeme) > 1
    ), gone AS (
      DELETE FROM product_terms old WHERE old.seller_id = ${sellerId}
        AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.product_id = old.product_id AND fresh.term = old.term)
    )
    INSERT INTO product_terms (product_id, seller_id, term)
    SELECT product_id, ${sellerId}, term FROM fresh
    ON CONFLICT (product_id, term) DO NOTHING`;
}

/**
 * The seller's products that resemble one of its products. The product's words (read from its
 * text now) are weighed by rarity in the seller's catalog, idf = ln(1 + products / products with
 * the word); the 200 products sharing the most weight and the 50 of the same category closest in
 * price are scored: 0.6 x shared weight / the product's total weight + 0.25 x same category +
 * 0.15 x trigram similarity of the names (pg_trgm). Ties go to the closer price, then the lower id.
 */
export async function findSimilar(db: Database, sellerId: string, productId: number, first: number): Promise<SimilarProduct[]> {
  const rows = await db.$queryRaw<(RawProduct & { score: number; same_category: boolean; shared: string[] })[]>`
    WITH me AS (
      SELECT id, name, description, category, price FROM products WHERE id = ${productId} AND seller_id = ${sellerId}
    ), my_terms AS (
      SELECT DISTINCT t.lexeme AS term FROM me, unnest(to_tsvector('simple', me.name || ' ' || coalesce(me.description, ''))) t
      WHERE length(t.lexeme) > 1
    ), catalog AS (
      SELECT count(*)::float8 AS n FROM products WHERE seller_id = ${sellerId}
    ), weights AS (
      SELECT m.term, ln(1 + catalog.n / greatest(count(t.product_id), 1)) AS w
      FROM my_terms m CROSS JOIN catalog LEFT JOIN product_terms t ON t.seller_id = ${sellerId} AND t.term = m.term
      GROUP BY m.term, catalog.n
    ), matches AS (
      SELECT t.product_id, sum(w.w) AS weight, array_agg(t.term ORDER BY w.w DESC, t.term) AS shared
      FROM product_terms t JOIN weights w ON w.term = t.term
      WHERE t.seller_id = ${sellerId} AND t.product_id <> ${productId}
      GROUP BY t.product_id
    ), candidates AS (
      (SELECT product_id FROM matches ORDER BY weight DESC, product_id LIMIT 200)
      UNION
      (SELECT p.id FROM products p, me WHERE p.seller_id = ${sellerId} AND p.category = me.category AND p.id <> me.id
       ORDER BY abs(p.price - me.price), p.id LIMIT 50)
    )
    SELECT p.*, coalesce(m.shared, '{}') AS shared, p.category = me.category AS same_category,
      (0.6 * coalesce(m.weight, 0) / greatest((SELECT sum(w) FROM weights), 1e-9)
        + 0.25 * (p.category = me.category)::int + 0.15 * similarity(p.name, me.name))::float8 AS score
    FROM candidates c JOIN products p ON p.id = c.product_id AND p.seller_id = ${sellerId}
    LEFT JOIN matches m ON m.product_id = p.id CROSS JOIN me
    ORDER BY score DESC, abs(ln(greatest(p.price, 0.01) / greatest(me.price, 0.01))), p.id
    LIMIT ${first}::int`;
  return rows.map(({ score, same_category, shared, ...product }) => ({ product: fromRaw(product), score, sameCategory: same_category, sharedWords: shared }));
}
