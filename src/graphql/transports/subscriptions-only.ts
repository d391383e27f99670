import { GraphQLError, type ExecutionResult } from 'graphql';

/**
 * The `execute` of the WebSocket and SSE servers of a ROLE=live instance: queries and
 * mutations belong on the ROLE=api instances, so they are refused before anything runs.
 */
export function refuseRequests(): ExecutionResult {
  return {
    errors: [new GraphQLError('This instance serves subscriptions only; send queries and mutations to /graphql over HTTP', { extensions: { code: 'BAD_REQUEST' } })],
  };
}
