import cors from 'cors';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendGraphQLError } from './graphql-errors.js';

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
export function securityHeaderWriter(): (res: ServerResponse) => void {
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
  return (res) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
  };
}

/** securityHeaderWriter as Express middleware. */
export function securityHeaders(): RequestHandler {
  const write = securityHeaderWriter();
  return (_req, res, next) => {
    write(res);
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

/**
 * corsPolicy's headers on a request that is not a preflight, outside Express (the /graphql fast
 * path): the same middleware, which answers such a request synchronously.
 */
export function corsHeaderWriter(policy: RequestHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let done = false;
    policy(req as Parameters<RequestHandler>[0], res as Parameters<RequestHandler>[1], () => (done = true));
    if (!done) throw new Error('the CORS policy did not answer at once: its origin check is no longer synchronous');
  };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time equality of a presented secret and the expected one (hashed first: equal lengths). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && timingSafeEqual(sha256(presented), sha256(expected));
}

/**
 * With AUTH_MODE=gateway, X-Seller-Id is trusted only from the gateway: every request except the
 * health probes must carry X-Gateway-Secret, or it is refused before any route sees it. Returns
 * whether the request goes on; the refusal is sent.
 */
export function checkGatewaySecret(secret: string): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  return (req, res, path) => {
    if (path === '/healthz' || path === '/readyz') return true;
    const presented = req.headers['x-gateway-secret'];
    if (secretMatches(typeof presented === 'string' ? presented : undefined, secret)) return true;
    sendGraphQLError(res, 401, 'This server only answers requests from its gateway', { code: 'UNAUTHENTICATED' });
    return false;
  };
}

/** checkGatewaySecret as Express middleware. */
export function gatewaySecretGuard(secret: string): RequestHandler {
  const check = checkGatewaySecret(secret);
  return (req, res, next) => {
    if (check(req, res, req.path)) next();
  };
}
