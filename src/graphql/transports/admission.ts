import { getOperationAST, GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { callerOf } from '../../limits/caller.js';
import type { Limits } from '../../limits/limits.js';
import type { Viewer } from '../auth.js';

export interface LiveRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export type LiveAdmission = { errors: GraphQLError[]; status: number } | { errors: null; release: () => Promise<void> };

/**
 * The limits an operation over WebSocket or SSE passes before it runs, as on /graphql: shape,
 * cost and budget; a subscription also needs one of the seller's (and the connection's) slots.
 * Errors the GraphQL library would report itself (syntax, validation) are left to it.
 */
export async function admitLiveOperation(
  deps: { limits: Limits; schema: GraphQLSchema },
  who: { viewer: Viewer; clientIp: string; connectionId: string },
  request: LiveRequest,
  options: { countRequest: boolean },
): Promise<LiveAdmission> {
  const caller = callerOf(who.viewer, who.clientIp);
  if (options.countRequest) {
    const rate = await deps.limits.checkRequestRate(caller);
    if (!rate.allowed) {
      const error = new GraphQLError('Too many requests', { extensions: { code: 'RATE_LIMITED', reason: 'REQUEST_RATE', retryAfterMs: rate.retryAfterMs } });
      return { errors: [error], status: 429 };
    }
  }
  let document;
  try {
    document = parse(request.query, { maxTokens: deps.limits.settings.maxTokens });
  } catch {
    return { errors: null, release: async () => undefined };
  }
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation || validate(deps.schema, document).length > 0) return { errors: null, release: async () => undefined };

  const admission = await deps.limits.admitOperation({ caller, schema: deps.schema, document, operation, variables: request.variables ?? {} });
  if (admission.error) {
    const code = admission.error.extensions['code'];
    return { errors: [admission.error], status: code === 'RATE_LIMITED' ? 429 : 400 };
  }
  if (operation.operation !== 'subscription') return { errors: null, release: async () => undefined };
  const slot = await deps.limits.acquireSubscriptionSlot(who.viewer.sellerId, who.connectionId);
  if (!slot.allowed) return { errors: [slot.error], status: 429 };
  return { errors: null, release: () => slot.slot.release() };
}
