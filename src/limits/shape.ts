import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { MAX_COST_NODES } from './cost.js';
import { queryTooComplex } from './errors.js';

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
}

/** What the shape walk found in one operation; compared with the limits by shapeError. */
export interface OperationShape {
  /** More than MAX_COST_NODES fields once fragments are expanded (the walk stopped there). */
  tooManyNodes: boolean;
  depth: number;
  aliases: number;
  rootFields: number;
}

/**
 * Measures depth, aliases and root fields of a validated operation, fragments expanded (a
 * fragment spread twice counts twice), visiting at most MAX_COST_NODES fields. Fields under
 * __schema / __type do not count towards depth: the introspection query GraphiQL sends is 15
 * deep through ofType, and graphql-js's own MaxIntrospectionDepthRule (a validation rule)
 * already refuses introspection that nests fields/interfaces/possibleTypes/inputFields 3
 * deep, the recursive kind that grows exponentially.
 */
export function measureOperationShape(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const shape: OperationShape = { tooManyNodes: false, depth: 0, aliases: 0, rootFields: 0 };
  let nodes = 0;

  // fieldDepth: ordinary fields above; inIntrospection: under __schema / __type
  const walk = (set: SelectionSetNode, fieldDepth: number, inIntrospection: boolean, active: Set<string>): void => {
    for (const selection of set.selections) {
      if (shape.tooManyNodes) return;
      if (++nodes > MAX_COST_NODES) {
        shape.tooManyNodes = true;
        return;
      }
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) shape.aliases++;
        if (fieldDepth === 0 && !inIntrospection) shape.rootFields++;
        const name = selection.name.value;
        const introspection = inIntrospection || (fieldDepth === 0 && (name === '__schema' || name === '__type'));
        const nextDepth = introspection ? fieldDepth : fieldDepth + 1;
        shape.depth = Math.max(shape.depth, nextDepth);
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
  return shape;
}

/** The QUERY_TOO_COMPLEX error of the first limit the shape breaks, or null. */
export function shapeError(shape: OperationShape, limits: ShapeLimits): GraphQLError | null {
  if (shape.tooManyNodes) {
    return queryTooComplex(`The operation expands to more than ${MAX_COST_NODES} fields`, 'QUERY_NODES', { maximum: MAX_COST_NODES });
  }
  if (shape.rootFields > limits.maxRootFields) {
    return queryTooComplex(`The operation selects ${shape.rootFields} root fields; at most ${limits.maxRootFields} are allowed`, 'ROOT_FIELDS', {
      maximum: limits.maxRootFields,
      actual: shape.rootFields,
    });
  }
  if (shape.depth > limits.maxDepth) {
    return queryTooComplex(`The operation is ${shape.depth} fields deep; at most ${limits.maxDepth} are allowed`, 'DEPTH', {
      maximum: limits.maxDepth,
      actual: shape.depth,
    });
  }
  if (shape.aliases > limits.maxAliases) {
    return queryTooComplex(`The operation uses ${shape.aliases} aliases; at most ${limits.maxAliases} are allowed`, 'ALIASES', {
      maximum: limits.maxAliases,
      actual: shape.aliases,
    });
  }
  return null;
}

/** Depth, aliases and root fields of a validated operation against the limits: the error, or null. */
export function checkOperationShape(document: DocumentNode, operation: OperationDefinitionNode, limits: ShapeLimits): GraphQLError | null {
  return shapeError(measureOperationShape(document, operation), limits);
}
