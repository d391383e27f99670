import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLInterfaceType,
  type GraphQLSchema,
} from 'graphql';

/** A small seedable PRNG (mulberry32): the same seed gives the same run. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  subset<T>(items: readonly T[], max: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    const n = this.int(1, Math.min(max, copy.length));
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    return out;
  }
}

/** One HTTP request to /graphql. */
export interface FuzzRequest {
  kind: string;
  method: 'GET' | 'POST';
  /** For GET: the query string; for POST: the body as sent. */
  body: string;
  headers: Record<string, string>;
}

export interface FuzzContext {
  schema: GraphQLSchema;
  /** Product ids that exist: the fuzzing seller's own and another seller's. */
  ids: string[];
}

const UNICODE = ['Ünïcödé', '日本語の名前', '🎉🚀✓', 'عربى עברית', 'e\u0301', '\u200b\u200f', 'Ω≈ç√∫', '𝔘𝔫𝔦', '\u2028\u2029'];
const NASTY = ["' or 1=1 --", '"; drop table products; --', '%', '_', '%_%', '\\', '\\\\%', '{{7*7}}', '${x}', '<script>x</script>', '../../etc/passwd', '\t\n\r', ' '];
const WORDS = ['Mug', 'Blue', 'Kitchen', 'Tea', 'shirt', 'SKU-1', 'a', 'Z'];

/** Strings as a client might send: usual, empty, huge, unicode, control characters, lone surrogates. */
function fuzzString(rng: Rng, hostile: boolean): string {
  if (!hostile) return `${rng.pick(WORDS)}${rng.chance(0.5) ? ` ${rng.int(0, 999)}` : ''}`;
  switch (rng.int(0, 9)) {
    case 0:
      return '';
    case 1:
      return rng.pick(['x', 'é', '🎉', 'ab ']).repeat(rng.pick([101, 256, 10_001, 100_000]));
    case 2:
      return rng.pick(UNICODE);
    case 3:
      return rng.pick(NASTY);
    case 4:
      return `bad\u0000null`;
    case 5:
      return `lone \ud800 surrogate`;
    case 6:
      return Array.from({ length: rng.int(1, 40) }, () => String.fromCodePoint(rng.int(1, 0x10ffff) & ~0x800)).join('');
    case 7:
      return rng.pick(['   ', '\n', '\u00a0']);
    case 8:
      return `${rng.pick(WORDS)}${rng.pick(UNICODE)}`;
    default:
      return rng.pick(['null', 'undefined', 'true', '0', '-1', 'NaN']);
  }
}

function fuzzInt(rng: Rng, hostile: boolean): unknown {
  if (!hostile) return rng.pick([0, 1, 2, 5, 10, 20, rng.int(0, 100)]);
  return rng.pick([-1, -100, 2147483647, -2147483648, 2147483648, 1e20, -1e20, 1.5, 0.1, '12', 'ten', true, null, [], {}, Number.MAX_SAFE_INTEGER + 2]);
}

function fuzzDecimal(rng: Rng, hostile: boolean): unknown {
  if (!hostile) return rng.pick(['0', '0.01', '1.00', '12.50', '999.99', String(rng.int(0, 10_000))]);
  return rng.pick([
    '-1', '-0.01', '1e5', '1E-2', 'NaN', 'Infinity', '-Infinity', '1.234', '12.', '.5', '', ' 1', '1 ', '0x10', '1,50', '١٢',
    '99999999999999999999999999999999999.99', '999999999999.99', '1000000000000.00', '0.000000000000000000000000000001',
    '1'.repeat(40), `1.${'0'.repeat(40)}`, '--1', '+1', 12.5, 0, true, null, ['1'], { value: '1' },
  ]);
}

function fuzzDateTime(rng: Rng, hostile: boolean): unknown {
  if (!hostile) return new Date(Date.UTC(2026, rng.int(0, 11), rng.int(1, 28))).toISOString();
  return rng.pick(['2026-13-45T99:99:99Z', 'yesterday', '', '0', 0, '2026-02-30T00:00:00Z', '99999-01-01T00:00:00Z', '2026-01-01', '2026-01-01T00:00:00+25:00', null]);
}

function fuzzId(rng: Rng, ctx: FuzzContext, hostile: boolean): unknown {
  if (!hostile) return ctx.ids.length > 0 && rng.chance(0.8) ? rng.pick(ctx.ids) : String(rng.int(1, 50));
  return rng.pick(['-1', '0', '99999999999999999999', '2147483648', 'abc', '1.5', '', '1e3', ' 1', '0x1', 'NaN', -1, 1.5, 1e30, true, null, fuzzString(rng, true)]);
}

/** A cursor as an attacker crafts one: our encoding around values out of every range, or junk. */
export function fuzzCursor(rng: Rng): string {
  const kind = rng.pick(['product', 'event', 'job', 'order', 'movement', 'other']);
  const value = rng.pick<unknown>([1e20, -1e20, 2 ** 53 - 1, 2 ** 31, -1, 1.5, '9999999999999999999', '99999999999999999999', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', 'a\u0000', null, [], {}, 'x'.repeat(2000)]);
  const field = rng.pick(['QUANTITY', 'CREATED_AT', 'PRICE', 'NAME', 'UPDATED_AT', 'fuzz-b', 'seller-default']);
  const encoded = Buffer.from(JSON.stringify(rng.chance(0.5) ? [kind, field, value, value] : [kind, value])).toString('base64url');
  return rng.chance(0.9) ? encoded : rng.pick(['', '!!!', 'W10', Buffer.from('{}').toString('base64url')]);
}

/** A value for an input type: valid for it, or (hostile) anything a careless or malicious client sends. */
export function fuzzValue(rng: Rng, ctx: FuzzContext, type: GraphQLInputType, hostile: boolean, depth = 0): unknown {
  if (hostile && rng.chance(0.08)) return null;
  if (hostile && rng.chance(0.05)) return rng.pick([[], {}, 'str', 42, true, [[1, [2]]]]);
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const of = nullable.ofType as GraphQLInputType;
    const length = hostile && rng.chance(0.3) ? rng.pick([1000, 10_000]) : rng.int(0, 3);
    if (hostile && rng.chance(0.1)) return fuzzValue(rng, ctx, of, hostile, depth + 1); // a single value for a list
    return Array.from({ length }, () => fuzzValue(rng, ctx, of, hostile && rng.chance(0.2), depth + 1));
  }
  if (isInputObjectType(nullable)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (required ? !(hostile && rng.chance(0.1)) : rng.chance(0.5)) out[field.name] = fuzzValue(rng, ctx, field.type, hostile && rng.chance(0.5), depth + 1);
    }
    if (hostile && rng.chance(0.15)) out[rng.pick(['unknown', '__proto__', 'constructor', 'sellerId'])] = fuzzString(rng, false);
    if (hostile && depth < 50 && rng.chance(0.05)) return { nested: fuzzValue(rng, ctx, type, hostile, depth + 1) };
    return out;
  }
  if (isEnumType(nullable)) {
    if (hostile && rng.chance(0.5)) return rng.pick(['NOPE', nullable.getValues()[0]!.name.toLowerCase(), 1, '']);
    return rng.pick(nullable.getValues()).name;
  }
  switch ((nullable as GraphQLNamedType).name) {
    case 'Int':
      return fuzzInt(rng, hostile);
    case 'Float':
      return hostile ? rng.pick([Number.MAX_VALUE, -0, 1e308, 'x']) : rng.next() * 100;
    case 'Boolean':
      return hostile ? rng.pick(['true', 1, 0, 'yes']) : rng.chance(0.5);
    case 'ID':
      return fuzzId(rng, ctx, hostile);
    case 'Decimal':
      return fuzzDecimal(rng, hostile);
    case 'DateTime':
      return fuzzDateTime(rng, hostile);
    default:
      return fuzzString(rng, hostile);
  }
}

/** A JavaScript value as a GraphQL literal (enums bare when the type is an enum and the value a name). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const of = type && isListType(getNullableType(type)) ? ((getNullableType(type) as { ofType: GraphQLInputType }).ofType) : undefined;
    return `[${value.map((v) => literal(v, of)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const named = type ? getNamedType(type) : undefined;
    const fields = named && isInputObjectType(named) ? named.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k));
    return `{${entries.map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`).join(', ')}}`;
  }
  if (typeof value === 'string') {
    if (type && isEnumType(getNamedType(type)) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  return String(value);
}

function typeString(type: GraphQLInputType): string {
  return String(type);
}

interface Built {
  text: string;
  variables: Record<string, unknown>;
}

/** One operation: root fields with arguments (inline or as variables), a random selection, aliases and fragments. */
export function fuzzOperation(rng: Rng, ctx: FuzzContext): Built {
  const { schema } = ctx;
  const mutation = schema.getMutationType();
  const isMutation = mutation !== null && mutation !== undefined && rng.chance(0.3);
  const root = (isMutation ? mutation : schema.getQueryType())!;
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const fragments: string[] = [];
  let varCount = 0;
  const hostileRun = rng.chance(0.5);

  const args = (field: GraphQLField<unknown, unknown>): string => {
    const given: string[] = [];
    for (const arg of field.args as readonly GraphQLArgument[]) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!required && rng.chance(0.5)) continue;
      if (required && hostileRun && rng.chance(0.03)) continue;
      const hostile = hostileRun && rng.chance(0.5);
      const value = hostile && (arg.name === 'after' || arg.name === 'before') && rng.chance(0.7) ? fuzzCursor(rng) : fuzzValue(rng, ctx, arg.type, hostile);
      if (rng.chance(0.5)) {
        const name = `v${varCount++}`;
        // sometimes declared with another type than the argument's
        const declared = hostile && rng.chance(0.15) ? rng.pick(['Int', 'String!', '[ID]', 'Decimal', 'Boolean!']) : typeString(arg.type);
        definitions.push(`$${name}: ${declared}`);
        if (!(hostile && rng.chance(0.05))) variables[name] = value;
        given.push(`${arg.name}: $${name}`);
      } else {
        given.push(`${arg.name}: ${literal(value, arg.type)}`);
      }
    }
    if (hostileRun && rng.chance(0.03)) given.push(`unknownArg: 1`);
    return given.length > 0 ? `(${given.join(', ')})` : '';
  };

  const selection = (type: GraphQLObjectType | GraphQLInterfaceType, depth: number): string => {
    const fields = Object.values(type.getFields());
    const picked = rng.subset(fields, depth > 3 ? 2 : 4);
    const parts: string[] = [];
    for (const field of picked) {
      const alias = rng.chance(hostileRun ? 0.2 : 0.05) ? `a${rng.int(0, 99)}_${parts.length}: ` : '';
      const named = getNamedType(field.type);
      const directive = rng.chance(0.03) ? ` @include(if: ${rng.chance(0.5)})` : rng.chance(0.02) ? ' @skip(if: true)' : '';
      if (isLeafType(named)) {
        parts.push(`${alias}${field.name}${args(field)}${directive}`);
      } else if (depth < 8) {
        parts.push(`${alias}${field.name}${args(field)}${directive} { ${inner(named, depth + 1)} }`);
      }
    }
    if (rng.chance(0.1)) parts.push('__typename');
    if (hostileRun && rng.chance(0.02)) parts.push(`${rng.pick(['notAField', 'password', 'sellerId'])}`);
    return parts.length > 0 ? parts.join(' ') : '__typename';
  };

  const inner = (named: GraphQLNamedType, depth: number): string => {
    if (isAbstractType(named)) {
      const possible = schema.getPossibleTypes(named);
      const parts = [isInterfaceType(named) && rng.chance(0.7) ? selection(named, depth) : '__typename'];
      for (const t of rng.subset(possible, 2)) parts.push(`... on ${t.name} { ${selection(t, depth)} }`);
      return parts.join(' ');
    }
    if (isObjectType(named)) {
      if (rng.chance(0.08)) {
        const name = `F${fragments.length}`;
        fragments.push(`fragment ${name} on ${named.name} { ${selection(named, depth)} }`);
        return `...${name}`;
      }
      return selection(named, depth);
    }
    return '__typename';
  };

  const rootFields = rng.subset(Object.values(root.getFields()), hostileRun && rng.chance(0.05) ? 25 : 3);
  const repeat = hostileRun && rng.chance(0.05) ? rng.int(2, 12) : 1; // aliases of the same root field
  const body: string[] = [];
  for (let r = 0; r < repeat; r++) {
    for (const field of rootFields) {
      const alias = repeat > 1 || rng.chance(0.1) ? `r${r}_${body.length}: ` : '';
      const named = getNamedType(field.type);
      body.push(isLeafType(named) ? `${alias}${field.name}${args(field)}` : `${alias}${field.name}${args(field)} { ${inner(named, 1)} }`);
    }
  }
  const header = `${isMutation ? 'mutation' : 'query'} Fuzz${definitions.length > 0 ? `(${definitions.join(', ')})` : ''}`;
  return { text: `${header} { ${body.join(' ')} } ${fragments.join(' ')}`.trim(), variables };
}

/** Breaks a document: truncation, stray characters, deep nesting, token floods, huge literals. */
function breakDocument(rng: Rng, text: string): string {
  switch (rng.int(0, 7)) {
    case 0:
      return text.slice(0, rng.int(0, text.length));
    case 1: {
      const at = rng.int(0, text.length);
      return `${text.slice(0, at)}${rng.pick(['{', '}', '(', ')', '$', '@', '"', '...', '#', '\u0000', '!', ':', '\\u{10FFFF}'])}${text.slice(at)}`;
    }
    case 2:
      return `{ ${'products { nodes { '.repeat(rng.pick([20, 200]))}id${' } }'.repeat(20)}`;
    case 3:
      return `{ ${'a '.repeat(rng.pick([6000, 60_000]))} }`;
    case 4:
      return `{ viewer { id } } ${'#'.repeat(rng.int(1, 100_000))}`;
    case 5:
      return `{ productBySku(sku: "${'s'.repeat(rng.pick([1000, 500_000]))}") { id } }`;
    case 6:
      return `${'{'.repeat(rng.pick([100, 5000]))}${'}'.repeat(100)}`;
    default:
      return `query Q($a: Int = ${'['.repeat(200)}) { viewer { id } }`;
  }
}

/** A request: mostly GraphQL operations (some broken), plus malformed HTTP and protocol abuse. */
export function fuzzRequest(rng: Rng, ctx: FuzzContext): FuzzRequest {
  const json = { 'content-type': 'application/json' };
  const roll = rng.next();
  if (roll < 0.72) {
    const op = fuzzOperation(rng, ctx);
    const body: Record<string, unknown> = { query: op.text, variables: op.variables };
    if (rng.chance(0.05)) body['operationName'] = rng.pick(['Fuzz', 'Other', '', null, 5]);
    return { kind: 'operation', method: 'POST', body: JSON.stringify(body), headers: json };
  }
  if (roll < 0.84) {
    const op = fuzzOperation(rng, ctx);
    return { kind: 'broken document', method: 'POST', body: JSON.stringify({ query: breakDocument(rng, op.text), variables: op.variables }), headers: json };
  }
  const op = fuzzOperation(rng, ctx);
  switch (rng.int(0, 14)) {
    case 14:
      return { kind: 'huge unused variables array', method: 'POST', body: JSON.stringify({ query: op.text, variables: { ...op.variables, unused: Array.from({ length: 300_000 }, () => rng.pick([0, 'a', null])) } }), headers: json };
    case 0:
      return { kind: 'malformed JSON', method: 'POST', body: JSON.stringify({ query: op.text }).slice(0, -rng.int(1, 5)), headers: json };
    case 1:
      return { kind: 'batch', method: 'POST', body: JSON.stringify([{ query: op.text }, { query: op.text }]), headers: json };
    case 2:
      return { kind: 'query not a string', method: 'POST', body: JSON.stringify({ query: rng.pick([5, null, ['{ viewer { id } }'], { a: 1 }, true]) }), headers: json };
    case 3:
      return { kind: 'variables not an object', method: 'POST', body: JSON.stringify({ query: op.text, variables: rng.pick(['x', 5, [1], true]) }), headers: json };
    case 4:
      return {
        kind: 'persisted query junk',
        method: 'POST',
        body: JSON.stringify({
          query: rng.chance(0.5) ? op.text : undefined,
          extensions: { persistedQuery: rng.pick([{ version: 1, sha256Hash: 'abc' }, { version: 2, sha256Hash: 'a'.repeat(64) }, { version: 1 }, 'x', { version: 1, sha256Hash: 5 }]) },
        }),
        headers: json,
      };
    case 5:
      return { kind: 'wrong content type', method: 'POST', body: JSON.stringify({ query: op.text }), headers: { 'content-type': rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/graphql']) } };
    case 6:
      return { kind: 'GET query', method: 'GET', body: `query=${encodeURIComponent(op.text)}&variables=${encodeURIComponent(JSON.stringify(op.variables))}`, headers: { 'apollo-require-preflight': 'true' } };
    case 7:
      return { kind: 'GET without CSRF header', method: 'GET', body: `query=${encodeURIComponent('{ viewer { id } }')}`, headers: {} };
    case 8:
      return { kind: 'oversized body', method: 'POST', body: JSON.stringify({ query: op.text, variables: { pad: 'x'.repeat(1024 * 1024 + 10) } }), headers: json };
    case 9:
      return { kind: 'deeply nested JSON', method: 'POST', body: `{"query": "{ viewer { id } }", "variables": {"x": ${'['.repeat(rng.pick([1000, 100_000]))}${']'.repeat(rng.pick([1000, 100_000]))}}}`, headers: json };
    case 10:
      return { kind: 'empty or null body', method: 'POST', body: rng.pick(['', 'null', '{}', '[]', '""', '0']), headers: json };
    case 11:
      return { kind: 'duplicate and prototype keys', method: 'POST', body: `{"query": "{ viewer { id } }", "query": "{ __typename }", "__proto__": {"x": 1}, "constructor": {"prototype": {"polluted": true}}}`, headers: json };
    case 12:
      return { kind: 'GET mutation', method: 'GET', body: `query=${encodeURIComponent('mutation { deleteProduct(id: "1") { deletedProductId } }')}`, headers: { 'apollo-require-preflight': 'true' } };
    default:
      return { kind: 'bad authorization header', method: 'POST', body: JSON.stringify({ query: op.text }), headers: { ...json, authorization: rng.pick(['Bearer', 'Bearer ', 'Basic x', `Bearer ${'a'.repeat(10_000)}`, 'Bearer a.b.c', 'bearer  x y']) } };
  }
}
