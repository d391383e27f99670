import type { Decimal } from 'decimal.js';
import { badUserInput } from '../../graphql/errors.js';
import { serialKeyOfInput } from '../../graphql/global-id.js';
import { decodeCursor, encodeCursor, isCursorTimestamp, lazyConnection, pageRequest, type Connection } from '../../graphql/pagination.js';
import { UserErrorCode, UserErrorsThrown, userError, type UserError } from '../../graphql/user-errors.js';
import { isUniqueViolation, type Database, type Tx } from '../../infra/prisma.js';
import { runOneStatement, runUnitOfWork, type Change } from '../../infra/unit-of-work.js';
import { toProductJson, type ProductRecord, type ProductView } from './product.model.js';
import { recordProductChange } from './product-change.js';
import * as products from './product.repository.js';
import { ALL_PRODUCT_COLUMNS, type ProductColumn } from './product.selection.js';
import { validateCreateProduct, validateUpdateProduct } from './product.validation.js';

export interface ProductListArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: {
    search?: string | null;
    category?: string | null;
    minPrice?: Decimal | null;
    maxPrice?: Decimal | null;
    inStock?: boolean | null;
    lowStock?: boolean | null;
  } | null;
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT' | 'NAME' | 'PRICE' | 'QUANTITY'; direction: 'ASC' | 'DESC' } | null;
}

export type ProductResult = { product: ProductRecord | null; userErrors: UserError[] };

const SORT_COLUMNS = {
  CREATED_AT: 'created_at',
  UPDATED_AT: 'updated_at',
  NAME: 'name',
  PRICE: 'price',
  QUANTITY: 'quantity',
} as const;

const INITIAL_STOCK = { reason: 'RECEIVED' as const, note: 'initial stock' };

const notFound = (field = ['id']) => userError(UserErrorCode.NOT_FOUND, 'Product not found', field);

export class CatalogService {
  constructor(private readonly db: Database) {}

  /** `columns`: what the caller will read (id and sellerId always come). */
  async product(sellerId: string, id: string, columns: readonly ProductColumn[] = ALL_PRODUCT_COLUMNS): Promise<ProductView | null> {
    return products.findProductView(this.db, sellerId, serialKeyOfInput('Product', id, 'id'), columns);
  }

  async productBySku(sellerId: string, sku: string, columns: readonly ProductColumn[] = ALL_PRODUCT_COLUMNS): Promise<ProductView | null> {
    return sku.length > 100 ? null : products.findProductViewBySku(this.db, sellerId, sku, columns);
  }

  async productsByIds(sellerId: string, ids: readonly number[]): Promise<ProductRecord[]> {
    return products.findProducts(this.db, sellerId, ids);
  }

  stockByCategory(sellerId: string) {
    return products.stockByCategory(this.db, sellerId);
  }

  productCount(sellerId: string): Promise<number> {
    return products.countSellerProducts(this.db, sellerId);
  }

  async products(sellerId: string, args: ProductListArgs, columns: readonly ProductColumn[] = ALL_PRODUCT_COLUMNS): Promise<Connection<ProductView>> {
    const request = pageRequest(args);
    const query = toQuery(args.filter);
    const orderBy = args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
    const sort = { field: SORT_COLUMNS[orderBy.field], descending: orderBy.direction === 'DESC' };
    const from = request.cursor === undefined ? undefined : decodeProductCursor(request.cursor, orderBy.field);

    const page = { from, forward: request.forward, limit: request.size + 1 };
    const [fetched, hasBefore] = await Promise.all([
      products.listProductViews(this.db, sellerId, query, sort, page, columns),
      from ? products.anyProductBefore(this.db, sellerId, query, sort, from, request.forward) : false,
    ]);
    // counted only when a client asks for it
    return lazyConnection(fetched, request, (p) => productCursor(p, orderBy.field), hasBefore, () => products.countProducts(this.db, sellerId, query));
  }

  async createProduct(sellerId: string, input: unknown): Promise<ProductResult> {
    const checked = validateCreateProduct(input);
    if (!checked.ok) return { product: null, userErrors: checked.errors };
    const d = checked.data;
    const fields = {
      sellerId,
      sku: d.sku ?? null,
      name: d.name,
      description: d.description ?? null,
      price: d.price,
      category: d.category,
      quantity: d.quantity ?? 0,
      lowStockThreshold: d.lowStockThreshold ?? 5,
    };
    try {
      return { product: await runOneStatement(() => products.createProductWithEvent(this.db, fields, INITIAL_STOCK)), userErrors: [] };
    } catch (error) {
      if (isUniqueViolation(error)) return { product: null, userErrors: [skuTaken()] };
      throw error;
    }
  }

  async updateProduct(sellerId: string, id: string, input: unknown): Promise<ProductResult> {
    const productId = serialKeyOfInput('Product', id, 'id');
    const checked = validateUpdateProduct(input);
    if (!checked.ok) return { product: null, userErrors: checked.errors };
    const { expectedVersion, ...fields } = checked.data;

    return this.write(async (tx) => {
      const before = await products.lockProduct(tx, sellerId, productId);
      if (!before) throw new UserErrorsThrown([notFound()]);
      if (expectedVersion != null && expectedVersion !== before.version) {
        throw new UserErrorsThrown([
          userError(UserErrorCode.VERSION_CONFLICT, `The product is at version ${before.version}, not ${expectedVersion}`, ['input', 'expectedVersion']),
        ]);
      }
      if (fields.quantity != null && fields.quantity < before.reserved) {
        throw new UserErrorsThrown([
          userError(UserErrorCode.INVALID, `Quantity cannot go below the ${before.reserved} units held by reservations`, ['input', 'quantity']),
        ]);
      }
      const changed = changedFields(before, fields);
      if (Object.keys(changed).length === 0) return { value: before, events: [] };
      const after = await products.updateProductFields(tx, productId, changed);
      return { value: after, events: await recordProductChange(tx, before, after, { reason: 'CORRECTION', note: 'updateProduct' }) };
    });
  }

  async deleteProduct(sellerId: string, id: string): Promise<{ deletedProductId: number | null; userErrors: UserError[] }> {
    const productId = serialKeyOfInput('Product', id, 'id');
    try {
      await runUnitOfWork(this.db, async (tx) => {
        const product = await products.lockProduct(tx, sellerId, productId);
        if (!product) throw new UserErrorsThrown([notFound()]);
        if (product.reserved > 0) {
          throw new UserErrorsThrown([
            userError(UserErrorCode.INVALID, `The product has ${product.reserved} units held by open reservations`, ['id']),
          ]);
        }
        await products.deleteProductRow(tx, productId);
        return { value: productId, events: [{ sellerId, productId, data: { type: 'ProductDeleted' as const, product: toProductJson(product) } }] };
      });
      return { deletedProductId: productId, userErrors: [] };
    } catch (error) {
      if (error instanceof UserErrorsThrown) return { deletedProductId: null, userErrors: error.userErrors };
      throw error;
    }
  }

  /** Runs a product write; userErrors and SKU collisions roll it back and become payload errors. */
  private async write(change: (tx: Tx) => Promise<Change<ProductRecord>>): Promise<ProductResult> {
    try {
      return { product: (await runUnitOfWork(this.db, change)).value, userErrors: [] };
    } catch (error) {
      if (error instanceof UserErrorsThrown) return { product: null, userErrors: error.userErrors };
      if (isUniqueViolation(error)) return { product: null, userErrors: [skuTaken()] };
      throw error;
    }
  }
}

type EditableFields = Partial<Pick<ProductRecord, 'sku' | 'name' | 'description' | 'price' | 'category' | 'quantity' | 'lowStockThreshold'>>;

function changedFields(before: ProductRecord, input: Record<string, unknown>): EditableFields {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const old = before[field as keyof ProductRecord];
    const same = field === 'price' ? (old as Decimal).eq(value as Decimal) : old === value;
    if (!same) changed[field] = value;
  }
  return changed as EditableFields;
}

function toQuery(filter: ProductListArgs['filter']): products.ProductQuery {
  if (!filter) return {};
  if (filter.search != null && filter.search.length > 200) throw badUserInput('filter.search must be at most 200 characters');
  return {
    search: filter.search || undefined,
    category: filter.category ?? undefined,
    minPrice: filter.minPrice ?? undefined,
    maxPrice: filter.maxPrice ?? undefined,
    inStock: filter.inStock ?? undefined,
    lowStock: filter.lowStock ?? undefined,
  };
}

function productCursor(p: ProductView, field: keyof typeof SORT_COLUMNS): string {
  // only the sort column is read: the view holds no other column for sure
  const value =
    field === 'CREATED_AT' ? p.createdAt!.toISOString()
    : field === 'UPDATED_AT' ? p.updatedAt!.toISOString()
    : field === 'NAME' ? p.name!
    : field === 'PRICE' ? p.price!
    : p.quantity!;
  return encodeCursor('product', [field, value, p.id]);
}

function decodeProductCursor(cursor: string, field: keyof typeof SORT_COLUMNS): products.ProductPosition {
  const [cursorField, value, id] = decodeCursor('product', cursor);
  if (cursorField !== field) throw badUserInput('The cursor belongs to a different orderBy');
  const valid =
    typeof id === 'number' &&
    Number.isSafeInteger(id) &&
    (field === 'QUANTITY' ? Number.isInteger(value) : typeof value === 'string') &&
    (field !== 'PRICE' || /^-?\d{1,20}(\.\d{1,2})?$/.test(value as string)) &&
    (!field.endsWith('_AT') || isCursorTimestamp(value));
  if (!valid) throw badUserInput('Invalid cursor');
  return { value: value as string | number, id: id as number };
}

const skuTaken = (): UserError => userError(UserErrorCode.TAKEN, 'Another product of this seller has this SKU', ['input', 'sku']);
