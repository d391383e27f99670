import cors from 'cors';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every response. GraphiQL (src/http/graphiql.ts) runs under it:
 * its scripts are files from this server, it sets inline styles, its CSS embeds fonts and
 * images as data: URLs, and it talks to /graphql over fetch and WebSocket.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'ws:', 'wss:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/**
 * helmet's security headers on every route, with the CSP above instead of its default one.
 * They never vary by request, so helmet runs once here and each request only copies its output.
 */
export function securityHeaders(): RequestHandler {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => [k, [...v]])),
    },
  })(...([{}, recorder, () => undefined] as unknown as Parameters<ReturnType<typeof helmet>>));
  if (set.length === 0) throw new Error('helmet set no headers: its middleware is no longer synchronous');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/**
 * CORS for the configured origins only. With none (the default), no CORS headers are sent and
 * browsers allow same-origin calls only. Tokens travel in Authorization, never cookies, so no
 * credentials mode.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin: allowed.size === 0 ? false : (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time equality of a presented secret and the expected one (hashed first: equal lengths). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && timingSafeEqual(sha256(presented), sha256(expected));
}

/**
 * With AUTH_MODE=gateway, X-Seller-Id is trusted only from the gateway: every request except the
 * health probes must carry X-Gateway-Secret, or it is refused before any route sees it.
 */
export function gatewaySecretGuard(secret: string): RequestHandler {
  return (req, res, next) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    const presented = req.headers['x-gateway-secret'];
    if (secretMatches(typeof presented === 'string' ? presented : undefined, secret)) return next();
    res.status(401).json({ errors: [{ message: 'This server only answers requests from its gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
  };
}
