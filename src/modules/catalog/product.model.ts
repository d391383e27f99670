import type { Decimal } from 'decimal.js';
import type { ProductChangesJson, ProductJson } from '../events/event.contract.js';

export interface ProductRecord {
  id: number;
  sellerId: string;
  sku: string | null;
  name: string;
  description: string | null;
  price: Decimal;
  category: string;
  quantity: number;
  reserved: number;
  lowStockThreshold: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A product as a read returns it: id and seller always, the other fields only when the operation
 * selected them (src/modules/catalog/product.selection.ts says which field needs which column).
 */
export type ProductView = Pick<ProductRecord, 'id' | 'sellerId'> & Partial<Omit<ProductRecord, 'price'>> & { price?: PriceText };

/** A price as PostgreSQL prints numeric(14,2): always two decimal places, e.g. "19.90". */
export type PriceText = string;

/** The fields a seller edits; stock counters change through their own paths too. */
export type ProductFields = Pick<ProductRecord, 'sku' | 'name' | 'description' | 'price' | 'category' | 'quantity' | 'lowStockThreshold'>;

export const available = (p: Pick<ProductRecord, 'quantity' | 'reserved'>): number => p.quantity - p.reserved;

export const isLowStock = (p: Pick<ProductRecord, 'quantity' | 'reserved' | 'lowStockThreshold'>): boolean =>
  available(p) <= p.lowStockThreshold;

export function toProductJson(p: ProductRecord): ProductJson {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price.toFixed(2),
    category: p.category,
    quantity: p.quantity,
    reserved: p.reserved,
    lowStockThreshold: p.lowStockThreshold,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const CHANGE_FIELDS = ['sku', 'name', 'description', 'price', 'category', 'quantity', 'reserved', 'lowStockThreshold'] as const;

/** Only the fields that differ between two versions of a product, as events carry them. */
export function productChanges(before: ProductRecord, after: ProductRecord): ProductChangesJson {
  const a = toProductJson(before);
  const b = toProductJson(after);
  const changes: Record<string, unknown> = {};
  for (const field of CHANGE_FIELDS) if (a[field] !== b[field]) changes[field] = b[field];
  return changes as ProductChangesJson;
}
