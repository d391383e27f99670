import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badUserInput } from './errors.js';
import { containsNul } from './nul-characters.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount?: number | Promise<number>;
}

/** Relay connection and edge object types for a node type, named after it. */
export function connectionOf<T extends object>(name: string, node: ClassType<T> | (abstract new () => T), options: { totalCount?: boolean } = {}) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }

  // No class inheritance here: field inheritance differs between the swc and esbuild builds.
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  if (!options.totalCount) return ConnectionType;

  @ObjectType(`${name}Connection`)
  class CountedConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    // a COUNT query: costs a point though it is a scalar (src/limits/cost.ts). The value may be
    // a promise (counted on first read): `simple: false` keeps a resolver, which graphql-jit
    // awaits, where it reads a resolver-less field as a plain value (src/graphql/plain-fields.ts)
    @Field(() => Int, { description: 'Number of items matching the filter, across all pages.', complexity: 1, simple: false }) totalCount!: number;
  }
  return CountedConnectionType;
}

export interface PageRequest {
  size: number;
  /** true for first/after (forward), false for last/before (backward). */
  forward: boolean;
  cursor?: string;
}

/** Validates first/after/last/before the way Relay clients send them. */
export function pageRequest(args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null }): PageRequest {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badUserInput('Pass either first or last, not both');
  if (after != null && before != null) throw badUserInput('Pass either after or before, not both');
  if (last != null || before != null) {
    if (after != null || first != null) throw badUserInput('last/before cannot be combined with first/after');
    return { size: checkSize('last', last), forward: false, cursor: before ?? undefined };
  }
  return { size: checkSize('first', first), forward: true, cursor: after ?? undefined };
}

function checkSize(name: string, value: number | null | undefined): number {
  if (value == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`${name} must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return value;
}

export function encodeCursor(kind: string, values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MAX = 2n ** 63n - 1n;

/** Every number our cursors carry is an Int column (ids, sequences, quantities): anything else was not made by us. */
function isInt32(value: unknown): boolean {
  return typeof value !== 'number' || (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX);
}

/** A non-negative BIGINT as decimal text (job cursors), within PostgreSQL's range. */
export function isBigintText(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= INT64_MAX;
}

/** An ISO timestamp PostgreSQL can compare with (years 1 to 9999), as cursors of date columns carry. */
export function isCursorTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** Decodes a cursor made by encodeCursor for the same kind; anything else is a client error. */
export function decodeCursor(kind: string, cursor: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = cursor.length <= 1024 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  // a crafted cursor with U+0000 in a value would fail in PostgreSQL as an internal error
  if (!Array.isArray(parsed) || parsed[0] !== kind || containsNul(parsed) || !parsed.every(isInt32)) throw badUserInput('Invalid cursor');
  return parsed.slice(1);
}

/**
 * Builds a connection from rows fetched one past the page size in the page's direction
 * (so the extra row tells whether there is more), in the order they were fetched.
 */
export function toConnection<T>(
  fetched: T[],
  request: PageRequest,
  cursorOf: (node: T) => string,
  hasRowsBeforeCursor: boolean,
): Connection<T> {
  const more = fetched.length > request.size;
  const page = fetched.slice(0, request.size);
  if (!request.forward) page.reverse();
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: request.forward ? more : hasRowsBeforeCursor,
      hasPreviousPage: request.forward ? hasRowsBeforeCursor : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * toConnection whose edges and cursors are made only when the operation reads them: a client
 * asking for `nodes` alone pays for no cursor. totalCount, when given, is counted on first read.
 */
export function lazyConnection<T>(
  fetched: T[],
  request: PageRequest,
  cursorOf: (node: T) => string,
  hasRowsBeforeCursor: boolean,
  totalCount?: () => Promise<number>,
): Connection<T> {
  const more = fetched.length > request.size;
  const page = fetched.length > request.size ? fetched.slice(0, request.size) : fetched;
  if (!request.forward) page.reverse();
  let edges: Edge<T>[] | undefined;
  let total: Promise<number> | undefined;
  const connection: Connection<T> = {
    get edges() {
      return (edges ??= page.map((node) => ({
        node,
        get cursor() {
          return cursorOf(node);
        },
      })));
    },
    nodes: page,
    pageInfo: {
      hasNextPage: request.forward ? more : hasRowsBeforeCursor,
      hasPreviousPage: request.forward ? hasRowsBeforeCursor : more,
      get startCursor() {
        return page.length > 0 ? cursorOf(page[0]!) : null;
      },
      get endCursor() {
        return page.length > 0 ? cursorOf(page[page.length - 1]!) : null;
      },
    },
  };
  if (totalCount) Object.defineProperty(connection, 'totalCount', { get: () => (total ??= totalCount()), enumerable: true });
  return connection;
}
