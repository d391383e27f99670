import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../infra/logger.js';

/**
 * Answers with a GraphQL-shaped JSON error (`{"errors":[{message, extensions:{code}}]}`), for
 * refusals made before Apollo sees the request: body too large or malformed, rate limit, bad
 * token. Clients then parse every /graphql answer the same way.
 */
export function sendGraphQLError(
  res: Response,
  status: number,
  message: string,
  extensions: { code: string } & Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  res.status(status).set(headers).type('application/json').send(JSON.stringify({ errors: [{ message, extensions }] }));
}

/**
 * The app's last error handler: a client error (4xx from a body parser or a router) keeps its
 * status; anything else is logged and answered 500 without its message. Express's default
 * handler would send an HTML page with the stack trace outside production.
 */
export function httpErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendGraphQLError(res, status, status === 404 ? 'Not found' : 'Bad request', { code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST' });
      return;
    }
    (req.log ?? log).error({ err }, 'unhandled error in HTTP handler');
    sendGraphQLError(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
  };
}
