import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** A products column a read may select; id and seller_id are always read. */
export type ProductColumn =
  | 'sku'
  | 'name'
  | 'description'
  | 'price'
  | 'category'
  | 'quantity'
  | 'reserved'
  | 'low_stock_threshold'
  | 'version'
  | 'created_at'
  | 'updated_at';

export const ALL_PRODUCT_COLUMNS: readonly ProductColumn[] = [
  'sku',
  'name',
  'description',
  'price',
  'category',
  'quantity',
  'reserved',
  'low_stock_threshold',
  'version',
  'created_at',
  'updated_at',
];

/** The columns each Product field reads (field resolvers included). */
const COLUMNS_OF_FIELD: Readonly<Record<string, readonly ProductColumn[]>> = {
  __typename: [],
  id: [],
  sellerId: [],
  stockMovements: [],
  sku: ['sku'],
  name: ['name'],
  description: ['description'],
  price: ['price'],
  category: ['category'],
  quantity: ['quantity'],
  reserved: ['reserved'],
  lowStockThreshold: ['low_stock_threshold'],
  version: ['version'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
  available: ['quantity', 'reserved'],
  isLowStock: ['quantity', 'reserved', 'low_stock_threshold'],
};

/** Every field selected in a selection set, through fragments (@skip/@include ignored: reading more is harmless). */
function* selectedFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, seen = new Set<string>()): Generator<FieldNode> {
  if (!set) return;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* selectedFields(selection.selectionSet, info, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      yield* selectedFields(info.fragments[selection.name.value]?.selectionSet, info, seen);
    }
  }
}

function addProductColumns(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into: Set<ProductColumn>): boolean {
  for (const field of selectedFields(set, info)) {
    const columns = COLUMNS_OF_FIELD[field.name.value];
    if (!columns) return false; // a field this map does not know yet: read everything
    for (const c of columns) into.add(c);
  }
  return true;
}

/** The columns a Product-typed field (product, productBySku) needs for what the operation selected. */
export function productColumns(info: GraphQLResolveInfo): readonly ProductColumn[] {
  const columns = new Set<ProductColumn>();
  for (const node of info.fieldNodes) if (!addProductColumns(node.selectionSet, info, columns)) return ALL_PRODUCT_COLUMNS;
  return [...columns];
}

/** The columns the nodes of a ProductConnection-typed field need (edges.node and nodes). */
export function connectionProductColumns(info: GraphQLResolveInfo): readonly ProductColumn[] {
  const columns = new Set<ProductColumn>();
  for (const node of info.fieldNodes) {
    for (const field of selectedFields(node.selectionSet, info)) {
      const name = field.name.value;
      let known = true;
      if (name === 'nodes') known = addProductColumns(field.selectionSet, info, columns);
      else if (name === 'edges') {
        for (const edgeField of selectedFields(field.selectionSet, info)) {
          if (edgeField.name.value === 'node') known &&= addProductColumns(edgeField.selectionSet, info, columns);
        }
      }
      if (!known) return ALL_PRODUCT_COLUMNS;
    }
  }
  return [...columns];
}
