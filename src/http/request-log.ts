import type { RequestHandler, Response } from 'express';
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

/** What later handlers learn about a request that its log line reports. */
interface RequestFacts {
  seller?: string;
}

/** Records the seller of the request for its log line (set once authentication knows it). */
export function noteRequestSeller(res: Response, sellerId: string | undefined): void {
  (res.locals as RequestFacts).seller = sellerId;
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
 * is built for a line the log level drops.
 */
export function requestLog(log: Logger, options: { slowMs: number }): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { get: () => (child ??= log.child({ requestId: id })), configurable: true });
    res.setHeader('X-Request-Id', id);
    if (UNLOGGED.has(req.path)) return next();

    res.once('finish', () => {
      const ms = performance.now() - started;
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : ms >= options.slowMs ? 'warn' : status >= 400 ? 'info' : 'debug';
      if (!log.isLevelEnabled(level)) return;
      log[level](
        {
          requestId: id,
          seller: (res.locals as RequestFacts).seller,
          operation: operationNameOf(req.body),
          method: req.method,
          url: redactUrl(req.originalUrl).slice(0, 200),
          status,
          ms: Math.round(ms * 10) / 10,
        },
        ms >= options.slowMs ? 'slow request' : 'request',
      );
    });
    next();
  };
}
