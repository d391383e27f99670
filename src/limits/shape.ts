import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { MAX_COST_NODES } from './cost.js';
import { queryTooComplex } from './errors.js';

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
}

/**
 * Checks depth, aliases and root fields of a validated operation, fragments expanded (a
 * fragment spread twice counts twice), visiting at most MAX_COST_NODES fields. Fields under
 * __schema / __type do not count towards depth: the introspection query GraphiQL sends is 15
 * deep through ofType, and graphql-js's own MaxIntrospectionDepthRule (a validation rule)
 * already refuses introspection that nests fields/interfaces/possibleTypes/inputFields 3
 * deep, the recursive kind that grows exponentially. Returns the QUERY_TOO_COMPLEX error of
 * the first limit broken, or null.
 */
export function checkOperationShape(document: DocumentNode, operation: OperationDefinitionNode, limits: ShapeLimits): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  let nodes = 0;
  let aliases = 0;
  let rootFields = 0;
  let depth = 0;
  let tooMany = false;

  // fieldDepth: ordinary fields above; inIntrospection: under __schema / __type
  const walk = (set: SelectionSetNode, fieldDepth: number, inIntrospection: boolean, active: Set<string>): void => {
    for (const selection of set.selections) {
      if (tooMany) return;
      if (++nodes > MAX_COST_NODES) {
        tooMany = true;
        return;
      }
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        if (fieldDepth === 0 && !inIntrospection) rootFields++;
        const name = selection.name.value;
        const introspection = inIntrospection || (fieldDepth === 0 && (name === '__schema' || name === '__type'));
        const nextDepth = introspection ? fieldDepth : fieldDepth + 1;
        depth = Math.max(depth, nextDepth);
        if (selection.selectionSet) walk(selection.selectionSet, nextDepth, introspection, active);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, fieldDepth, inIntrospection, active);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || active.has(name)) continue; // unknown or cyclic: validation reports it
        active.add(name);
        walk(fragment.selectionSet, fieldDepth, inIntrospection, active);
        active.delete(name);
      }
    }
  };

  walk(operation.selectionSet, 0, false, new Set());
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
  return null;
}
