import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { COST, isConnectionType } from './cost.js';

/** Field values walked at most; past it the requested cost stands. */
const MAX_VISITS = 200_000;

class Unmeasurable extends Error {}

/**
 * The cost model of cost.ts applied to what an operation returned instead of what it asked
 * for: a connection page counts the items it holds, not `first`. Never more than `requested`;
 * returns `requested` when the result cannot be measured (a field with a complexity function).
 */
export function actualOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined,
  requested: number,
): number {
  if (!data) return 0;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return requested;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let visits = 0;

  function* fieldsOf(set: SelectionSetNode, type: GraphQLCompositeType, value: Record<string, unknown>, active: Set<string>): Generator<[FieldNode, GraphQLCompositeType]> {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        yield [selection, type];
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && active.has(selection.name.value))) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition || !isCompositeType(condition)) continue;
      // an object of another concrete type does not take this fragment's fields
      if (isObjectType(condition) && typeof value['__typename'] === 'string' && value['__typename'] !== condition.name) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) active.add(selection.name.value);
      yield* fieldsOf(fragment.selectionSet, condition, value, active);
      if (selection.kind === Kind.FRAGMENT_SPREAD) active.delete(selection.name.value);
    }
  }

  const selectionCost = (set: SelectionSetNode, type: GraphQLCompositeType, value: Record<string, unknown>, base?: number): number => {
    let total = 0;
    for (const [node, parent] of fieldsOf(set, type, value, new Set())) {
      if (++visits > MAX_VISITS) throw new Unmeasurable();
      const key = node.alias?.value ?? node.name.value;
      if (node.name.value === '__typename' || !(key in value)) continue; // skipped, or another type's fragment
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
      if (!field) continue;
      total += fieldCost(field, node, value[key], parent, base);
    }
    return total;
  };

  const childrenCost = (node: FieldNode, field: GraphQLField<unknown, unknown>, value: unknown): number => {
    const named = getNamedType(field.type);
    if (!node.selectionSet || !isCompositeType(named) || value === null || typeof value !== 'object') return 0;
    return selectionCost(node.selectionSet, named, value as Record<string, unknown>);
  };

  const fieldCost = (field: GraphQLField<unknown, unknown>, node: FieldNode, value: unknown, parent: GraphQLCompositeType, base?: number): number => {
    const named = getNamedType(field.type);
    const declared = field.extensions?.['complexity'];
    if (typeof declared === 'function') throw new Unmeasurable();
    const own = base ?? (typeof declared === 'number' ? declared : isConnectionType(named) ? COST.connection : isCompositeType(named) ? COST.object : COST.scalar);
    const items = Array.isArray(value) ? (value.flat(Infinity) as unknown[]) : undefined;
    if (items && isListType(getNullableType(field.type))) {
      if (isConnectionType(parent)) {
        // edges / nodes: each item of the page, an edge itself free
        const perItemOwn = field.name === 'edges' ? 0 : isCompositeType(named) ? COST.object : COST.scalar;
        return items.reduce<number>((sum, item) => sum + perItemOwn + childrenCost(node, field, item), 0);
      }
      const paged = node.arguments?.some((a) => a.name.value === 'first' || a.name.value === 'last');
      if (paged) return items.reduce<number>((sum, item) => sum + own + childrenCost(node, field, item), 0);
      return own + items.reduce<number>((most, item) => Math.max(most, childrenCost(node, field, item)), 0);
    }
    return own + childrenCost(node, field, value);
  };

  const rootBase = operation.operation === 'mutation' ? COST.mutation : operation.operation === 'subscription' ? COST.subscription : undefined;
  try {
    return Math.min(requested, selectionCost(operation.selectionSet, root, data, rootBase));
  } catch (error) {
    if (error instanceof Unmeasurable) return requested;
    throw error;
  }
}
