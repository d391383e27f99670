import type { Database } from '../../infra/prisma.js';
import type { CategoryModel } from './categories/naive-bayes.js';

export interface ProductText {
  name: string;
  description: string | null;
  category: string;
}

/** What the classifier learns from: the seller's own products, nobody else's. */
export async function productTexts(db: Database, sellerId: string): Promise<ProductText[]> {
  return db.product.findMany({ where: { sellerId }, select: { name: true, description: true, category: true }, orderBy: { id: 'asc' } });
}

export async function countProducts(db: Database, sellerId: string): Promise<number> {
  return db.product.count({ where: { sellerId } });
}

export async function saveCategoryModel(db: Database, sellerId: string, model: CategoryModel, trainedAt: Date, catalogFingerprint: string | null): Promise<void> {
  const json = JSON.parse(JSON.stringify(model)) as object;
  const fields = { model: json, productCount: model.documents, trainedAt, catalogFingerprint };
  await db.categoryModelRecord.upsert({ where: { sellerId }, create: { sellerId, ...fields }, update: fields });
}

/** Changes whenever a product of the seller is created, deleted or gets other words or another category. */
export async function catalogFingerprint(db: Database, sellerId: string): Promise<string> {
  const rows = await db.$queryRaw<{ fingerprint: string }[]>`
    SELECT md5(coalesce(string_agg(id || chr(31) || name || chr(31) || coalesce(description, '') || chr(31) || category, chr(30) ORDER BY id), '')) AS fingerprint
    FROM products WHERE seller_id = ${sellerId}`;
  return rows[0]!.fingerprint;
}

export async function storedCatalogFingerprint(db: Database, sellerId: string): Promise<string | null> {
  const row = await db.categoryModelRecord.findUnique({ where: { sellerId }, select: { catalogFingerprint: true } });
  return row?.catalogFingerprint ?? null;
}

export async function findCategoryModel(db: Database, sellerId: string): Promise<{ model: CategoryModel; trainedAt: Date } | null> {
  const row = await db.categoryModelRecord.findUnique({ where: { sellerId }, select: { model: true, trainedAt: true } });
  return row ? { model: row.model as unknown as CategoryModel, trainedAt: row.trainedAt } : null;
}

export async function categoryModelTrainedAt(db: Database, sellerId: string): Promise<Date | null> {
  const row = await db.categoryModelRecord.findUnique({ where: { sellerId }, select: { trainedAt: true } });
  return row?.trainedAt ?? null;
}
