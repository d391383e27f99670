import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { pricedOperation, type OperationPrice } from './cost.js';
import { measureOperationShape, type OperationShape } from './shape.js';

/** Costs kept per document (one per operation and variable values the cost depends on). */
const MAX_COSTS_PER_DOCUMENT = 64;
/** Variables larger than this (as JSON) are not used as a cache key: their cost is computed each time. */
const MAX_VARIABLES_KEY_LENGTH = 2048;

interface DocumentFacts {
  shapes: Map<OperationDefinitionNode, OperationShape>;
  costs: Map<string, OperationPrice | GraphQLError>;
}

const facts = new WeakMap<DocumentNode, DocumentFacts>();
const walks = { shape: 0, cost: 0 };

/**
 * How many shape and cost walks have run in this process: a second request with the same
 * document (and, for the cost, the same variables) must not add any.
 */
export function documentCheckWalks(): Readonly<{ shape: number; cost: number }> {
  return { ...walks };
}

function factsOf(document: DocumentNode): DocumentFacts {
  let known = facts.get(document);
  if (!known) {
    known = { shapes: new Map(), costs: new Map() };
    facts.set(document, known);
  }
  return known;
}

/**
 * The shape of an operation, walked once per parsed document. Apollo keeps one DocumentNode
 * per query hash in its document store and the live transports keep theirs (document-store.ts),
 * so the entry lives as long as the parsed document does (a WeakMap).
 */
export function cachedOperationShape(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const known = factsOf(document);
  let shape = known.shapes.get(operation);
  if (!shape) {
    walks.shape++;
    shape = measureOperationShape(document, operation);
    known.shapes.set(operation, shape);
  }
  return shape;
}

function variablesKey(operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): string | undefined {
  const declared = operation.variableDefinitions ?? [];
  if (declared.length === 0) return '';
  // only the declared variables matter to the cost; an unused 300k-item array must not become a key
  const used: Record<string, unknown> = {};
  for (const d of declared) used[d.variable.name.value] = variables?.[d.variable.name.value];
  const key = JSON.stringify(used);
  return key.length <= MAX_VARIABLES_KEY_LENGTH ? key : undefined;
}

/**
 * The requested cost of an operation and its database part (src/limits/cost.ts), computed once per document,
 * operation and variable values. Throws what costOfOperation throws (BAD_USER_INPUT,
 * QUERY_TOO_COMPLEX), from the cache too.
 */
export function cachedOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): OperationPrice {
  const known = factsOf(document);
  const key = variablesKey(operation, variables);
  const cacheKey = key === undefined ? undefined : `${operation.name?.value ?? ''}\u0001${key}`;
  const cached = cacheKey === undefined ? undefined : known.costs.get(cacheKey);
  if (cached instanceof GraphQLError) throw cached;
  if (cached !== undefined) return cached;
  walks.cost++;
  let outcome: OperationPrice | GraphQLError;
  try {
    outcome = pricedOperation(schema, document, operation, variables);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    outcome = error;
  }
  if (cacheKey !== undefined) {
    if (known.costs.size >= MAX_COSTS_PER_DOCUMENT) known.costs.delete(known.costs.keys().next().value!);
    known.costs.set(cacheKey, outcome);
  }
  if (outcome instanceof GraphQLError) throw outcome;
  return outcome;
}
