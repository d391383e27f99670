import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { Logger } from '../../infra/logger.js';
import { maskError } from '../apollo.js';

/** The same error masking as over HTTP, for results sent over WebSocket and SSE. */
export function maskResult(result: ExecutionResult, log: Logger): FormattedExecutionResult {
  if (!result.errors) return result as FormattedExecutionResult;
  const mask = maskError(log);
  return { ...result, errors: result.errors.map((error) => mask(error.toJSON(), error)) } as FormattedExecutionResult;
}
