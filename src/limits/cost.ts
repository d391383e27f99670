import { createRequire } from 'node:module';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/pagination.js';
import { queryTooComplex } from './errors.js';

// The CommonJS build, on purpose: its ESM build imports graphql/index.mjs, a second copy of
// graphql next to the one the schema is built with ("Cannot use GraphQLObjectType from another
// module or realm").
const complexity = createRequire(import.meta.url)('graphql-query-complexity') as typeof import('graphql-query-complexity');

/**
 * The cost model (README "Limits"), in points:
 * - a scalar or enum field costs 0, `__typename` too, unless the field declares a complexity
 *   (type-graphql `@Field({ complexity })`, e.g. totalCount and productCount, which count rows);
 * - an object field costs 1 plus its selection;
 * - a connection (a `...Connection` type) costs 1 plus its selection, with what is selected
 *   under `edges` and `nodes` counted once per item of the page: `first` or `last`, 20 when
 *   absent, at most 100. An edge itself is free (`edges { node { id } }` = `nodes { id }`);
 * - a list with `first`/`last` arguments that is not a connection multiplies the same way;
 * - a list fetched by an `ids` argument (`nodes(ids:)`) is counted once per id, like a page;
 *   any other list is counted as one item (short lists such as `userErrors`);
 * - a mutation or subscription root field costs 10 plus its selection.
 */
export const COST = Object.freeze({ scalar: 0, object: 1, connection: 1, mutation: 10, subscription: 10 });

/**
 * Points for the database work a field causes whatever it returns (README "Query cost"):
 * - `count`: a COUNT over the seller's rows through an index (`totalCount`, `productCount`);
 * - `search`: a product search of 3 or more characters, served by the trigram indexes;
 * - `scan`: a search of 1 or 2 characters without a category: no trigram can serve it, so it
 *   reads every product of the seller (668 ms on 200k products), the page or the count alike;
 * - `aggregate`: sums over every product of the seller (`sellerMetrics`, `stockByCategory`).
 */
export const DATABASE_COST = Object.freeze({ count: 10, search: 10, scan: 200, aggregate: 50 });

/** Shortest search term a trigram index can serve. */
const TRIGRAM = 3;

/** The database cost of a connection's filter: a search, priced by whether an index serves it. */
function filterCost(args: Record<string, unknown>): number {
  const filter = args['filter'];
  if (filter === null || typeof filter !== 'object') return 0;
  const { search, category } = filter as { search?: unknown; category?: unknown };
  if (typeof search !== 'string' || search === '') return 0;
  return search.length < TRIGRAM && typeof category !== 'string' ? DATABASE_COST.scan : DATABASE_COST.search;
}

/** Root fields that aggregate over all the seller's products. */
const AGGREGATES = new Set(['sellerMetrics', 'stockByCategory']);
/**
 * Catalog intelligence: points per call for the cache reads and model work behind the field
 * (SIMILAR ranks the seller's word table; stockoutRisks orders every cached forecast).
 */
const INTELLIGENCE = new Map([
  ['recommendations', 10],
  ['stockForecast', 5],
  ['stockoutRisks', DATABASE_COST.aggregate],
  ['suggestCategories', 20],
]);
/** Scalar fields that COUNT rows. */
const COUNTS = new Set(['totalCount', 'productCount']);

/** Nodes the cost walk visits at most (fragments expand): beyond it the operation is refused. */
export const MAX_COST_NODES = 10_000;

export function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
  const fields = type.getFields();
  return 'edges' in fields || 'nodes' in fields;
}

export function pageSize(args: Record<string, unknown>): number {
  const requested = args['first'] ?? args['last'];
  if (typeof requested !== 'number' || !Number.isFinite(requested)) return DEFAULT_PAGE_SIZE;
  // outside 0..MAX the resolver refuses the page anyway; cost it as the largest page it could serve
  return Math.min(MAX_PAGE_SIZE, Math.max(0, Math.floor(requested)));
}

function hasPageArgs(args: Record<string, unknown>): boolean {
  return args['first'] != null || args['last'] != null;
}

/**
 * Estimators for one cost computation. graphql-query-complexity estimates a field after its
 * whole selection, so `edges`/`nodes` report their per-item cost into `pendingItems` and the
 * enclosing connection, estimated right after them, multiplies it by its page size (an inner
 * connection has already taken its own items by then).
 */
function estimators(schema: GraphQLSchema, work: { points: number }): ComplexityEstimator[] {
  let pendingItems = 0;
  const database: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const intelligence = INTELLIGENCE.get(field.name);
    if (intelligence !== undefined && (type.name === 'Product' || type === schema.getQueryType())) {
      work.points += intelligence;
      const items = isListType(getNullableType(field.type)) && hasPageArgs(args) ? pageSize(args) : 1;
      return intelligence + items * (COST.object + childComplexity);
    }
    if (COUNTS.has(field.name) && isLeafType(getNamedType(field.type))) {
      work.points += DATABASE_COST.count;
      return DATABASE_COST.count;
    }
    if (type === schema.getQueryType() && AGGREGATES.has(field.name)) {
      work.points += DATABASE_COST.aggregate;
      return COST.object + DATABASE_COST.aggregate + childComplexity;
    }
    return undefined;
  };
  const connection: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const named = getNamedType(field.type);
    if (isConnectionType(named)) {
      const perItem = pendingItems;
      pendingItems = 0;
      if (field.extensions?.['complexity'] !== undefined) return undefined; // declared: fieldExtensionsEstimator
      const base = type === schema.getMutationType() ? COST.mutation : type === schema.getSubscriptionType() ? COST.subscription : COST.connection;
      const filtered = filterCost(args);
      work.points += filtered;
      return base + childComplexity + (pageSize(args) - 1) * perItem + filtered;
    }
    if (isConnectionType(type as GraphQLNamedType) && isListType(getNullableType(field.type))) {
      const perItem = (field.name === 'edges' ? 0 : isCompositeType(named) ? COST.object : COST.scalar) + childComplexity;
      pendingItems += perItem;
      return perItem;
    }
    return undefined;
  };
  const shape: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    if (type === schema.getMutationType()) return COST.mutation + childComplexity;
    if (type === schema.getSubscriptionType()) return COST.subscription + childComplexity;
    const own = isCompositeType(getNamedType(field.type)) ? COST.object : COST.scalar;
    if (isListType(getNullableType(field.type)) && hasPageArgs(args)) return pageSize(args) * (own + childComplexity);
    const ids = args['ids'];
    if (isListType(getNullableType(field.type)) && Array.isArray(ids)) return ids.length * (own + childComplexity);
    return own + childComplexity;
  };
  return [database, connection, complexity.fieldExtensionsEstimator(), shape];
}

/**
 * The cost of one operation of `document` (the one named `operationName`, or the only one),
 * computed from the schema and variables before anything runs. Throws BAD_USER_INPUT when the
 * variables do not fit the operation, QUERY_TOO_COMPLEX when fragments expand beyond
 * MAX_COST_NODES. Use it for HTTP, WebSocket and SSE alike.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown> | null,
  operationName?: string | null,
): number {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) throw badRequest(operationName ? `Unknown operation named "${operationName}"` : 'Must provide operation name if query contains multiple operations');
  return costOfOperation(schema, document, operation, variables);
}

/** operationCost for an operation already picked out of its document. */
export function costOfOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown> | null,
): number {
  return pricedOperation(schema, document, operation, variables).total;
}

/** An operation's cost, and the part of it that pays for database work done whatever the result holds (never refunded). */
export interface OperationPrice {
  total: number;
  databaseWork: number;
}

export function pricedOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables?: Record<string, unknown> | null,
): OperationPrice {
  const work = { points: 0 };
  // only this operation: getComplexity would otherwise add up every operation in the document
  const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)] };
  try {
    const total = complexity.getComplexity({ schema, query: single, variables: variables ?? {}, estimators: estimators(schema, work), maxQueryNodes: MAX_COST_NODES });
    return { total, databaseWork: Math.min(total, work.points) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    if (/maximum allowed number of nodes/.test(error.message)) {
      throw queryTooComplex(`The operation expands to more than ${MAX_COST_NODES} fields`, 'QUERY_NODES', { maximum: MAX_COST_NODES });
    }
    // variables that do not coerce: the same message execution would give
    throw badRequest(error.message);
  }
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}
