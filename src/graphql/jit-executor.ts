import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  BREAK,
  execute,
  getNamedType,
  GraphQLError,
  isScalarType,
  isSpecifiedScalarType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<never>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** Operations compiled per parsed document (Apollo's document store keeps one per query text). */
const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
let compilations = 0;

/** How many operations were compiled in this process: a second identical request must not add one. */
export function jitCompilations(): number {
  return compilations;
}

/**
 * True when the document writes a value of one of our scalars (Decimal, DateTime...) inline.
 * graphql-jit parses such literals once and writes the result into the compiled function as
 * JSON, so a Decimal would reach the resolver as a string. Variables are parsed per request.
 */
function hasCustomScalarLiteral(schema: GraphQLSchema, document: DocumentNode): boolean {
  const types = new TypeInfo(schema);
  let found = false;
  const literal = () => {
    const type = types.getInputType();
    const named = type ? getNamedType(type) : undefined;
    if (named && isScalarType(named) && !isSpecifiedScalarType(named)) {
      found = true;
      return BREAK;
    }
    return undefined;
  };
  visit(
    document,
    visitWithTypeInfo(types, { StringValue: literal, IntValue: literal, FloatValue: literal, BooleanValue: literal, EnumValue: literal, ObjectValue: literal, ListValue: literal }),
  );
  return found;
}

/** The operation compiled to JavaScript, once per document; null when graphql-jit cannot compile it (graphql-js runs it). */
function compiledOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): CompiledQuery | null {
  let byName = compiled.get(document);
  if (!byName) {
    byName = new Map();
    compiled.set(document, byName);
  }
  const key = operationName ?? '';
  let query = byName.get(key);
  if (query === undefined) {
    compilations++;
    const outcome = hasCustomScalarLiteral(schema, document) ? null : compileQuery(schema, document, operationName ?? undefined);
    query = outcome && isCompiledQuery(outcome) ? outcome : null;
    byName.set(key, query);
  }
  return query;
}

/**
 * graphql-jit's errors carry `locations` but no AST nodes, and no `extensions` object when the
 * thrown error had none (Apollo's formatting reads `extensions.code`). The same error as
 * graphql-js would report it: message, path, locations, and the resolver's error as the cause.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const normal = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.originalError ? undefined : error.extensions,
  });
  (normal as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return normal;
}

/**
 * Executes queries and mutations with graphql-jit: each operation is compiled to a JavaScript
 * function the first time its document runs, then every request runs that function instead of
 * graphql-js interpreting the document field by field. Served to Apollo as its gateway executor
 * (the one hook Apollo has to replace execution); parsing, validation and every plugin are
 * unchanged. Subscriptions do not come here (graphql-ws and graphql-sse execute them).
 */
export function jitGateway(schema: GraphQLSchema): Gateway {
  let announce: Parameters<Gateway['onSchemaLoadOrUpdate']>[0] | undefined;
  const executor: Executor = async ({ document, operation, operationName, context, request }) => {
    // Apollo found no operation to run (an unknown or missing operationName; `operationName` is
    // then null): graphql-js, given the name the client sent, reports why, as Apollo expects
    const query = operation ? compiledOperation(schema, document, operationName) : null;
    const result: ExecutionResult = query
      ? await query.query(undefined, context, request.variables ?? {})
      : await execute({ schema, document, operationName: operation ? operationName : request.operationName, contextValue: context, variableValues: request.variables });
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      announce = callback;
      return () => {
        announce = undefined;
      };
    },
    async load() {
      announce?.({ apiSchema: schema, coreSupergraphSdl: '' });
      return { executor };
    },
    async stop() {},
  };
}
