import type { RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { redactUrl, type Logger } from '../infra/logger.js';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's X-Request-Id when it is a sane one, else a new UUID. */
    id: string;
    /** A logger bound to the request id, made on first use. */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);
const OPERATION_NAME = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The seller of each request, for its log line: what later handlers learn that the line reports. */
const sellers = new WeakMap<ServerResponse, string | undefined>();

/** Records the seller of the request for its log line (set once authentication knows it). */
export function noteRequestSeller(res: ServerResponse, sellerId: string | undefined): void {
  sellers.set(res, sellerId);
}

function operationNameOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { operationName, query } = body as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string') return operationName.slice(0, 100);
  return typeof query === 'string' ? OPERATION_NAME.exec(query.slice(0, 300))?.[1] : undefined;
}

/**
 * Gives every request an id (echoed as X-Request-Id) and logs one line when it ends: at error
 * for a 5xx, at warn when it took slowMs or longer, at info for a 4xx, else at debug. Nothing
 * is built for a line the log level drops. `path` is the request's path without its query.
 */
export function requestLogger(log: Logger, options: { slowMs: number }): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  return (req, res, path) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { get: () => (child ??= log.child({ requestId: id })), configurable: true });
    res.setHeader('X-Request-Id', id);
    if (UNLOGGED.has(path)) return;

    res.once('finish', () => {
      const ms = performance.now() - started;
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : ms >= options.slowMs ? 'warn' : status >= 400 ? 'info' : 'debug';
      if (!log.isLevelEnabled(level)) return;
      const { body, originalUrl } = req as IncomingMessage & { body?: unknown; originalUrl?: string };
      log[level](
        {
          requestId: id,
          seller: sellers.get(res),
          operation: operationNameOf(body),
          method: req.method,
          url: redactUrl(originalUrl ?? req.url ?? '').slice(0, 200),
          status,
          ms: Math.round(ms * 10) / 10,
        },
        ms >= options.slowMs ? 'slow request' : 'request',
      );
    });
  };
}

/** requestLogger as Express middleware. */
export function requestLog(log: Logger, options: { slowMs: number }): RequestHandler {
  const start = requestLogger(log, options);
  return (req, res, next) => {
    start(req, res, req.path);
    next();
  };
}
