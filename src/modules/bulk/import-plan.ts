// What one import batch does, worked out from its valid rows and the products their SKUs name,
// before anything is written. Rows apply in file order: a SKU met again in the batch sees what
// its earlier rows did (one write per product, one step per row that changed it).
import type { ProductFields, ProductRecord } from '../catalog/product.model.js';
import type { StagedStep, StagedWrite } from '../catalog/product-bulk.repository.js';
import type { ImportModeName, RowErrorRecord } from './job.model.js';
import type { StagedRow } from './import-staging.js';

const NEW_PRODUCT_DEFAULTS = { quantity: 0, lowStockThreshold: 5 };

type State = ProductFields & { version: number };

/** One product the batch writes. */
interface Target {
  existing: ProductRecord | null;
  state: State;
  /** The last row that changed it; -1 while none did. */
  lastRow: number;
}

interface Step {
  row: number;
  target: Target;
  /** null: this row created the product; 'existing': the product as it was locked. */
  before: State | 'existing' | null;
  /** The row of the step before this one on the same product, if any. */
  prev: number | null;
  after: State;
}

export interface ImportPlan {
  errors: RowErrorRecord[];
  /** The products to write, one per product. */
  writes: StagedWrite[];
  /** Each row's change, in row order (the write statement turns them into movements and events). */
  steps: StagedStep[];
}

function sameFields(a: State, b: State): boolean {
  return (
    a.sku === b.sku &&
    a.name === b.name &&
    a.description === b.description &&
    a.price.toFixed(2) === b.price.toFixed(2) &&
    a.category === b.category &&
    a.quantity === b.quantity &&
    a.lowStockThreshold === b.lowStockThreshold
  );
}

const stateOf = (p: ProductRecord): State => ({
  sku: p.sku,
  name: p.name,
  description: p.description,
  price: p.price,
  category: p.category,
  quantity: p.quantity,
  lowStockThreshold: p.lowStockThreshold,
  version: p.version,
});

/** The batch's rows (valid, in row order) against the locked products their SKUs name. */
export function planImport(rows: StagedRow[], existing: ProductRecord[], mode: ImportModeName): ImportPlan {
  const locked = new Map(existing.map((p) => [p.sku!, p]));
  const bySku = new Map<string, Target>();
  const targets: Target[] = [];
  const steps: Step[] = [];
  const errors: RowErrorRecord[] = [];

  for (const { row, product } of rows) {
    let target = product.sku === null ? undefined : bySku.get(product.sku);
    if (!target) {
      const found = product.sku === null ? undefined : locked.get(product.sku);
      if (!found) {
        const state: State = {
          ...product,
          quantity: product.quantity ?? NEW_PRODUCT_DEFAULTS.quantity,
          lowStockThreshold: product.lowStockThreshold ?? NEW_PRODUCT_DEFAULTS.lowStockThreshold,
          version: 1,
        };
        target = { existing: null, state, lastRow: row };
        targets.push(target);
        if (product.sku !== null) bySku.set(product.sku, target);
        steps.push({ row, target, before: null, prev: null, after: state });
        continue;
      }
      target = { existing: found, state: stateOf(found), lastRow: -1 };
      targets.push(target);
      bySku.set(found.sku!, target);
    }
    if (mode === 'CREATE_ONLY') {
      errors.push({ row, field: 'sku', message: `A product with SKU ${product.sku} already exists` });
      continue;
    }
    // an empty quantity or threshold leaves the product's own value
    const after: State = {
      ...product,
      quantity: product.quantity ?? target.state.quantity,
      lowStockThreshold: product.lowStockThreshold ?? target.state.lowStockThreshold,
      version: target.state.version + 1,
    };
    const reserved = target.existing?.reserved ?? 0;
    if (after.quantity < reserved) {
      errors.push({ row, field: 'quantity', message: `Quantity cannot go below the ${reserved} units held by reservations` });
      continue;
    }
    if (sameFields(target.state, after)) continue; // nothing to change
    steps.push({
      row,
      target,
      before: target.lastRow === -1 ? 'existing' : target.state,
      prev: target.lastRow === -1 ? null : target.lastRow,
      after,
    });
    target.state = after;
    target.lastRow = row;
  }

  const written = targets.filter((t) => t.lastRow !== -1);
  return {
    errors,
    writes: written.map((t) => ({
      row: t.lastRow,
      id: t.existing?.id ?? null,
      quantity: t.state.quantity,
      lowStockThreshold: t.state.lowStockThreshold,
      version: t.state.version,
    })),
    steps: steps.map(({ row, target, before, prev, after }) => {
      const was = before === 'existing' ? target.existing! : before;
      return {
        row,
        target: target.lastRow,
        prev,
        quantity: after.quantity,
        lowStockThreshold: after.lowStockThreshold,
        version: after.version,
        beforeQuantity: was?.quantity ?? null,
        beforeLowStockThreshold: was?.lowStockThreshold ?? null,
      };
    }),
  };
}
