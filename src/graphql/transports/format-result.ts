import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../infra/logger.js';
import { maskError } from '../apollo.js';

/** The same error masking as over HTTP, for results sent over WebSocket and SSE. */
export function maskResult(result: ExecutionResult, log: Logger): FormattedExecutionResult {
  if (!result.errors) return result as FormattedExecutionResult;
  const mask = maskError(log);
  return { ...result, errors: result.errors.map((error) => mask(error.toJSON(), error)) } as FormattedExecutionResult;
}

/** Refusals as clients see them over every transport: message and extensions, without the HTTP details meant for Apollo. */
export function formatRefusals(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
    return { message: error.message, ...(error.locations ? { locations: error.locations } : {}), extensions };
  });
}

/** Errors a transport sends on their own (refusals, a failed stream): masked like results, without HTTP details. */
export function maskErrors(errors: readonly GraphQLError[], log: Logger): GraphQLFormattedError[] {
  const mask = maskError(log);
  return errors.map((error) => {
    const masked = mask(error.toJSON(), error);
    if (!masked.extensions) return masked;
    const { http: _http, ...extensions } = masked.extensions as Record<string, unknown>;
    return { ...masked, extensions };
  });
}
