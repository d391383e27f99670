import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { MAX_COST_NODES } from './cost.js';
import { queryTooComplex } from './errors.js';

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
}

/**
 * Lists of the introspection schema. Nesting them (types → fields → type → fields → ...) makes
 * a response that grows exponentially with every level; the standard introspection query
 * (types → fields → args) nests three.
 */
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'args', 'directives']);
export const MAX_INTROSPECTION_LIST_NESTING = 3;

/**
 * Checks depth, aliases and root fields of a validated operation, fragments expanded (a
 * fragment spread twice counts twice). Fields under __schema / __type do not count towards
 * depth (the introspection query GraphiQL sends is 15 deep through ofType), but their lists
 * may nest at most MAX_INTROSPECTION_LIST_NESTING deep. Returns the QUERY_TOO_COMPLEX error of
 * the first limit broken, or null.
 */
export function checkOperationShape(document: DocumentNode, operation: OperationDefinitionNode, limits: ShapeLimits): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  let nodes = 0;
  let aliases = 0;
  let rootFields = 0;
  let depth = 0;
  let introspectionNesting = 0;
  let tooMany = false;

  // depth: of ordinary fields; lists: introspection lists above, or -1 outside introspection
  const walk = (set: SelectionSetNode, fieldDepth: number, lists: number, active: Set<string>): void => {
    for (const selection of set.selections) {
      if (tooMany) return;
      if (++nodes > MAX_COST_NODES) {
        tooMany = true;
        return;
      }
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        if (fieldDepth === 0 && lists < 0) rootFields++;
        const name = selection.name.value;
        let nextDepth = fieldDepth;
        let nextLists = lists;
        if (lists < 0 && fieldDepth === 0 && (name === '__schema' || name === '__type')) {
          nextLists = 0;
        } else if (lists >= 0) {
          if (INTROSPECTION_LISTS.has(name)) nextLists = lists + 1;
          introspectionNesting = Math.max(introspectionNesting, nextLists);
        } else {
          nextDepth = fieldDepth + 1;
          depth = Math.max(depth, nextDepth);
        }
        if (selection.selectionSet) walk(selection.selectionSet, nextDepth, nextLists, active);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, fieldDepth, lists, active);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || active.has(name)) continue; // unknown or cyclic: validation reports it
        active.add(name);
        walk(fragment.selectionSet, fieldDepth, lists, active);
        active.delete(name);
      }
    }
  };

  walk(operation.selectionSet, 0, -1, new Set());
  if (tooMany) {
    return queryTooComplex(`The operation expands to more than ${MAX_COST_NODES} fields`, 'QUERY_NODES', { maximum: MAX_COST_NODES });
  }
  if (rootFields > limits.maxRootFields) {
    return queryTooComplex(`The operation selects ${rootFields} root fields; at most ${limits.maxRootFields} are allowed`, 'ROOT_FIELDS', {
      maximum: limits.maxRootFields,
      actual: rootFields,
    });
  }
  if (depth > limits.maxDepth) {
    return queryTooComplex(`The operation is ${depth} fields deep; at most ${limits.maxDepth} are allowed`, 'DEPTH', { maximum: limits.maxDepth, actual: depth });
  }
  if (aliases > limits.maxAliases) {
    return queryTooComplex(`The operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`, 'ALIASES', {
      maximum: limits.maxAliases,
      actual: aliases,
    });
  }
  if (introspectionNesting > MAX_INTROSPECTION_LIST_NESTING) {
    return queryTooComplex(
      `The introspection query nests ${introspectionNesting} lists; at most ${MAX_INTROSPECTION_LIST_NESTING} are allowed`,
      'INTROSPECTION_DEPTH',
      { maximum: MAX_INTROSPECTION_LIST_NESTING, actual: introspectionNesting },
    );
  }
  return null;
}
