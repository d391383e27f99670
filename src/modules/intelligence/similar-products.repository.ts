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
 * The seller's products that resemble one of its products, read live (no cache: one statement
 * over the seller's products). Candidates share a word (full-text, 'simple' configuration), the
 * category, or a similar name (pg_trgm). Score in [0, 1]: 0.5 x the share of the product's words
 * they contain + 0.3 x same category + 0.2 x trigram similarity of the names; ties go to the
 * closer price (ratio), then the lower id.
 */
export async function findSimilar(db: Database, sellerId: string, productId: number, first: number): Promise<SimilarProduct[]> {
  const rows = await db.$queryRaw<(RawProduct & { score: number; same_category: boolean; shared: string[] })[]>`
    WITH me AS (
      SELECT id, name, category, price, to_tsvector('simple', name || ' ' || coalesce(description, '')) AS doc
      FROM products WHERE id = ${productId} AND seller_id = ${sellerId}
    ), words AS (
      SELECT array_agg(lexeme) AS list, count(*) AS n,
        to_tsquery('simple', string_agg(quote_literal(lexeme), ' | ')) AS query
      FROM me, unnest(me.doc) WHERE length(lexeme) > 1
    ), candidates AS (
      SELECT p.*, to_tsvector('simple', p.name || ' ' || coalesce(p.description, '')) AS doc
      FROM products p, me
      WHERE p.seller_id = ${sellerId} AND p.id <> me.id
        AND (p.category = me.category OR p.name % me.name
          OR to_tsvector('simple', p.name || ' ' || coalesce(p.description, '')) @@ (SELECT query FROM words))
    ), scored AS (
      SELECT c.*, (SELECT coalesce(array_agg(w ORDER BY w), '{}') FROM unnest((SELECT list FROM words)) w WHERE c.doc @@ to_tsquery('simple', quote_literal(w))) AS shared,
        c.category = me.category AS same_category, similarity(c.name, me.name) AS name_similarity,
        abs(ln(greatest(c.price, 0.01) / greatest(me.price, 0.01))) AS price_distance
      FROM candidates c, me
    )
    SELECT s.id, s.seller_id, s.sku, s.name, s.description, s.price, s.category, s.quantity, s.reserved, s.low_stock_threshold,
      s.version, s.created_at, s.updated_at, s.shared, s.same_category,
      (0.5 * cardinality(s.shared) / greatest((SELECT n FROM words), 1) + 0.3 * s.same_category::int + 0.2 * s.name_similarity)::float8 AS score
    FROM scored s
    ORDER BY score DESC, s.price_distance, s.id
    LIMIT ${first}::int`;
  return rows.map(({ score, same_category, shared, ...product }) => ({ product: fromRaw(product), score, sameCategory: same_category, sharedWords: shared }));
}
