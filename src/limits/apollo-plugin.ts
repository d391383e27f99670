import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { Config } from '../config.js';
import type { ApolloLimitOptions } from '../graphql/apollo.js';
import type { Context } from '../graphql/context.js';
import { persistedQueryCache } from '../graphql/persisted-queries.js';
import type { Logger } from '../infra/logger.js';
import { callerOf } from './caller.js';
import { retryAfterSeconds } from './errors.js';
import type { CostExtension, Limits, OperationToAdmit } from './limits.js';

/** An operation of only introspection fields: the one thing callers without a token may run. */
export function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

/** A subscription sent to /graphql: it needs a stream, which plain HTTP POST/GET cannot give. */
export function subscriptionOverHttp(): GraphQLError {
  return new GraphQLError('Subscriptions are served over WebSocket (graphql-ws on /graphql) or Server-Sent Events (/graphql/stream), not by plain HTTP', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });
}

/**
 * The limits for operations over HTTP, the same admission as over WebSocket and SSE
 * (Limits.admitOperation): checked once the operation is resolved, before anything executes
 * (a refusal runs nothing); the operation's concurrency slot is held until the response is
 * sent; `extensions.cost` on every response that got as far as being costed.
 */
export function limitsPlugin(limits: Limits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let admitted: OperationToAdmit | undefined;
      let cost: CostExtension | undefined;
      let release: (() => void) | undefined;
      let ran = false;
      return {
        async didResolveOperation({ contextValue, operation, document, request, schema }) {
          if (!operation) return;
          if (operation.operation === 'subscription') throw subscriptionOverHttp();
          // without a token only introspection runs; requireViewer refuses the rest with 401
          if (!contextValue.viewer && !isIntrospectionOnly(operation)) return;
          const candidate: OperationToAdmit = {
            caller: callerOf(contextValue.viewer, contextValue.clientIp),
            schema,
            document,
            operation,
            variables: request.variables,
            uncounted: contextValue.uncounted,
          };
          const admission = await limits.admitOperation(candidate);
          cost = admission.cost;
          release = admission.release;
          if (admission.error) throw admission.error;
          admitted = candidate;
        },
        async executionDidStart() {
          ran = true;
        },
        async willSendResponse({ response, contextValue }) {
          release?.();
          // answered without the admission (e.g. a document that does not parse or validate): counted now
          if (contextValue.uncounted) {
            const rate = await limits.countRequest(contextValue.uncounted);
            if (!rate.allowed) {
              const { message, extensions } = limits.requestRateError(rate.retryAfterMs);
              const { http: _http, ...shown } = extensions;
              response.http.status = 429;
              response.http.headers.set('retry-after', String(retryAfterSeconds(rate.retryAfterMs)));
              response.body = { kind: 'single', singleResult: { errors: [{ message, extensions: shown }] } };
              return;
            }
          }
          if (!cost || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (admitted) {
            try {
              // admitted but not run (another plugin refused it): everything goes back
              cost = await limits.settleOperation(admitted, cost, ran ? result.data : null);
            } catch (err) {
              contextValue.log.error({ err }, 'limits: settling the operation cost failed');
            }
          }
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

/**
 * Apollo's own options that belong to the limits: the parser's token cap (bounds the work of
 * parsing and validating before any other limit can look at the operation), batching off (a
 * JSON array body is answered 400), and automatic persisted queries cached in Redis.
 */
export function apolloLimitOptions(limits: Limits, config: Pick<Config, 'redisPrefix' | 'apqTtlSeconds'>, log: Logger): ApolloLimitOptions {
  return {
    parseOptions: { maxTokens: limits.settings.maxTokens },
    allowBatchedHttpRequests: false,
    persistedQueries: {
      cache: persistedQueryCache(limits.redis, { prefix: config.redisPrefix, ttlSeconds: config.apqTtlSeconds, log }),
      ttl: config.apqTtlSeconds,
    },
  };
}
