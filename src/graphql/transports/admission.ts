import { getOperationAST, GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { callerOf } from '../../limits/caller.js';
import type { Limits } from '../../limits/limits.js';
import type { Viewer } from '../auth.js';
import { createDocumentStore } from './document-store.js';

export interface LiveRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** What an admitted operation runs with: the document parsed and checked once, never again by the transport. */
export interface AdmittedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variableValues: Record<string, unknown>;
  operationName: string | undefined;
}

export type LiveAdmission =
  | { errors: GraphQLError[]; status: number }
  | { errors: null; admitted: AdmittedOperation; release: () => Promise<void> };

export type AdmitLiveOperation = (
  who: { viewer: Viewer; clientIp: string; connectionId: string },
  request: LiveRequest,
  options: { countRequest: boolean },
) => Promise<LiveAdmission>;

function refused(error: GraphQLError): { errors: GraphQLError[]; status: number } {
  const status = (error.extensions['http'] as { status?: unknown } | undefined)?.status;
  return { errors: [error], status: typeof status === 'number' ? status : error.extensions['code'] === 'RATE_LIMITED' ? 429 : 400 };
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/**
 * The admission of operations over WebSocket and SSE, the same as /graphql's: the parse with
 * the token cap (a document over it is refused, never handed to the transport to parse
 * itself), graphql-js's validation rules, then Limits.admitOperation (NUL, shape, cost,
 * concurrency, budget, the checks HTTP runs) and, for a subscription, one of the seller's and
 * the connection's slots. The transport runs the returned document as is.
 */
export function createLiveAdmission(deps: { limits: Limits; schema: GraphQLSchema; introspection: boolean }): AdmitLiveOperation {
  const documents = createDocumentStore(deps.schema, { maxTokens: deps.limits.settings.maxTokens, introspection: deps.introspection });

  return async (who, request, options) => {
    const caller = callerOf(who.viewer, who.clientIp);
    if (options.countRequest) {
      const rate = await deps.limits.checkRequestRate(caller);
      if (!rate.allowed) {
        const error = new GraphQLError('Too many requests', { extensions: { code: 'RATE_LIMITED', reason: 'REQUEST_RATE', retryAfterMs: rate.retryAfterMs } });
        return { errors: [error], status: 429 };
      }
    }
    if (typeof request.query !== 'string') return refused(badRequest('query must be a string'));
    if (request.operationName != null && typeof request.operationName !== 'string') return refused(badRequest('operationName must be a string'));
    const variables = request.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables)) return refused(badRequest('variables must be an object'));

    const prepared = documents.prepare(request.query);
    if (prepared.errors) return { errors: [...prepared.errors], status: 400 };
    const { document } = prepared;
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      const message = request.operationName ? `Unknown operation named "${request.operationName}"` : 'Must provide operation name if query contains multiple operations';
      return refused(new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } }));
    }

    const admission = await deps.limits.admitOperation({ caller, schema: deps.schema, document, operation, variables });
    if (admission.error) return refused(admission.error);
    const admitted: AdmittedOperation = { document, operation, variableValues: variables, operationName: request.operationName ?? undefined };
    if (operation.operation !== 'subscription') {
      const release = admission.release ?? (() => undefined);
      return { errors: null, admitted, release: async () => release() };
    }
    const slot = await deps.limits.acquireSubscriptionSlot(who.viewer.sellerId, who.connectionId);
    if (!slot.allowed) return { errors: [slot.error], status: 429 };
    return { errors: null, admitted, release: () => slot.slot.release() };
  };
}
