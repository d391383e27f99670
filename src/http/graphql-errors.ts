import type { ErrorRequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../infra/logger.js';
import { sendText } from './send.js';

/**
 * Answers with a GraphQL-shaped JSON error (`{"errors":[{message, extensions:{code}}]}`), for
 * refusals made before Apollo sees the request: body too large or malformed, rate limit, bad
 * token. Clients then parse every /graphql answer the same way.
 */
export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  extensions: { code: string } & Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, 'application/json', JSON.stringify({ errors: [{ message, extensions }] }), headers);
}

/**
 * The answer to an error no handler answered: a client error (4xx from a body parser or a
 * router) keeps its status; anything else is logged and answered 500 without its message.
 * Once the headers are out, the connection is closed, as Express's final handler does.
 */
export function answerHttpError(err: unknown, req: IncomingMessage, res: ServerResponse, log: Logger): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const status = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    sendGraphQLError(res, status, status === 404 ? 'Not found' : 'Bad request', { code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST' });
    return;
  }
  ((req as { log?: Logger }).log ?? log).error({ err }, 'unhandled error in HTTP handler');
  sendGraphQLError(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
}

/**
 * The app's last error handler (answerHttpError). Express's default handler would send an
 * HTML page with the stack trace outside production.
 */
export function httpErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    answerHttpError(err, req, res, log);
  };
}
