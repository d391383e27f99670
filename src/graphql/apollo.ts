import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ParseOptions } from 'graphql';
import type { Server } from 'node:http';
import type { Logger } from '../infra/logger.js';
import { MUTATION_ACCESS } from './access-policy.js';
import type { Context } from './context.js';
import { isDatabaseOverloaded } from '../infra/prisma.js';
import { isClientError, unauthenticated } from './errors.js';
import { asBadInput, inputPlaces } from './input-paths.js';
import { overloadedExtensions, overloadedStatus } from './overloaded.js';
import { jitGateway } from './jit-executor.js';
import { refuseNulCharacters } from './nul-characters.js';
import type { StringCache } from './persisted-queries.js';

/**
 * Every root field needs a seller, except schema introspection (GraphiQL loads the docs first)
 * and the public mutations (signUp, signIn, refreshSession, acceptInvite).
 */
const requireViewer: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation }) {
        if (contextValue.viewer || !operation) return;
        const openToAnyone = operation.selectionSet.selections.every(
          (s) => s.kind === 'Field' && (s.name.value.startsWith('__') || (operation.operation === 'mutation' && MUTATION_ACCESS[s.name.value] === 'PUBLIC')),
        );
        if (!openToAnyone) throw unauthenticated();
      },
    };
  },
};

/**
 * Apollo refuses some malformed requests (an unsupported persisted-query version, a hash that
 * does not match the query) with an HTTP 4xx GraphQLError but no code, which would be masked as
 * INTERNAL_SERVER_ERROR (found by test/fuzz). Such an error wraps no other error.
 */
function isApolloRequestError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError) || error.extensions['code'] !== undefined || error.originalError) return false;
  const status = (error.extensions['http'] as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Internal errors reach clients as a bare INTERNAL_SERVER_ERROR; their cause goes to the log. */
export function maskError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const badInput = asBadInput(formatted, original);
    if (badInput) return badInput;
    const code = formatted.extensions?.['code'];
    if ((original instanceof GraphQLError || original === undefined) && isClientError(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isDatabaseOverloaded(original)) {
      return { message: 'The server is overloaded; nothing was changed, try again shortly', path: formatted.path, extensions: overloadedExtensions(original) };
    }
    if (isApolloRequestError(original)) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    log.error({ err: original, path: formatted.path }, 'internal error in GraphQL operation');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Server options set by the limits (src/limits/apollo-plugin.ts: apolloLimitOptions). */
export interface ApolloLimitOptions {
  persistedQueries?: { cache: StringCache; ttl?: number | null } | false;
  parseOptions?: ParseOptions;
  allowBatchedHttpRequests?: boolean;
  /** Schema introspection; off in production unless INTROSPECTION_ENABLED (src/config.ts). */
  introspection?: boolean;
}

export function createApollo(
  schema: GraphQLSchema,
  httpServer: Server,
  log: Logger,
  plugins: ApolloServerPlugin<Context>[] = [],
  limitOptions: ApolloLimitOptions = {},
) {
  return new ApolloServer<Context>({
    introspection: true,
    ...limitOptions,
    // queries and mutations run compiled by graphql-jit (jit-executor.ts); the schema comes with it
    gateway: jitGateway(schema),
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: Apollo's own handler would race it and leave our stop() waiting forever
    stopOnTerminationSignals: false,
    formatError: maskError(log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // we set no cache hints: the cache-control plugin would only wrap every resolver for nothing
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      requireViewer,
      refuseNulCharacters,
      inputPlaces,
      overloadedStatus,
      ...plugins,
    ],
  });
}
