import { createHash } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Authenticate, Viewer } from '../graphql/auth.js';
import { callerOf } from '../limits/caller.js';
import { UncountedRequest } from '../limits/request-rate.js';
import { retryAfterSeconds } from '../limits/errors.js';
import type { Limits } from '../limits/limits.js';
import { sendGraphQLError } from './graphql-errors.js';

/** The largest /graphql request body: 1 MB. Larger ones are answered 413 unread. */
export const GRAPHQL_BODY_LIMIT_BYTES = 1024 * 1024;

type Authentication = { viewer: Viewer | null } | { error: GraphQLError };
const authentications = new WeakMap<Request, Authentication>();

/**
 * Verifies the token from the headers alone, before the body is read, and keeps the outcome
 * for the request: a valid token makes the seller the caller of every limit; a bad token is
 * answered 401 by refuseBadCredentials, and until then counts against the client address.
 */
export function authenticateRequest(authenticate: Authenticate): RequestHandler {
  return async (req, _res, next) => {
    const gatewaySeller = req.headers['x-seller-id'];
    try {
      authentications.set(req, { viewer: await authenticate(req.headers.authorization, typeof gatewaySeller === 'string' ? gatewaySeller : undefined) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      authentications.set(req, { error });
    }
    next();
  };
}

/** The seller of the request's valid token, or null without one. For the GraphQL context. */
export function viewerOf(req: Request): Viewer | null {
  const auth = authentications.get(req);
  // fail closed: without the pre-step every request would look anonymous
  if (!auth) throw new Error('authenticateRequest must run before the GraphQL handler');
  if ('error' in auth) throw auth.error;
  return auth.viewer;
}

/** The address limits count anonymous callers by (Express's req.ip: trust proxy applies). */
export function clientIpOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

const uncountedRequests = new WeakMap<Request, UncountedRequest>();

/** The rate count limitRequestRate left to the operation's admission, if it did. For the GraphQL context. */
export function uncountedRequestOf(req: Request): UncountedRequest | undefined {
  return uncountedRequests.get(req);
}

function sendRequestRateRefusal(res: Response, limits: Limits, retryAfterMs: number): void {
  const { message, extensions } = limits.requestRateError(retryAfterMs);
  const { http: _http, ...rest } = extensions as { code: string; http?: unknown };
  sendGraphQLError(res, 429, message, rest, { 'Retry-After': String(retryAfterSeconds(retryAfterMs)) });
}

/**
 * Request rate per seller (per address without a valid token): 429 + Retry-After over it.
 * With `defer`, a seller's request is not counted here: the operation's admission counts it
 * in the same Redis round trip as its cost (Limits.admitOperation); a refusal given before
 * that counts it first (refuseCounted, the limits plugin), and so does the end of any other
 * answer. Requests without a valid token are counted here, before anything else.
 */
export function limitRequestRate(limits: Limits, options: { defer?: boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const auth = authentications.get(req);
    const viewer = auth && 'viewer' in auth ? auth.viewer : null;
    const caller = callerOf(viewer, clientIpOf(req));
    if (options.defer && viewer) {
      const uncounted = new UncountedRequest(caller);
      uncountedRequests.set(req, uncounted);
      res.once('finish', () => void limits.countRequest(uncounted).catch(() => undefined));
      return next();
    }
    const decision = await limits.checkRequestRate(caller);
    if (decision.allowed) return next();
    sendRequestRateRefusal(res, limits, decision.retryAfterMs);
  };
}

/** Sends a guard's refusal, unless the request's deferred rate count refuses it first: then its 429. */
async function refuseCounted(req: Request, res: Response, limits: Limits, send: () => void): Promise<void> {
  const uncounted = uncountedRequests.get(req);
  if (uncounted) {
    const rate = await limits.countRequest(uncounted);
    if (!rate.allowed) return sendRequestRateRefusal(res, limits, rate.retryAfterMs);
  }
  send();
}

/** 401 for credentials that were sent but are not valid (no credentials at all go on: introspection). */
export function refuseBadCredentials(): RequestHandler {
  return (req, res, next) => {
    const auth = authentications.get(req);
    if (!auth || !('error' in auth)) return next();
    const { http: _http, ...extensions } = auth.error.extensions as { code: string; http?: unknown };
    sendGraphQLError(res, 401, auth.error.message, extensions);
  };
}

/** express.json with its refusals as GraphQL-shaped JSON: 413 over the limit, 400 for bad JSON. */
export function graphqlJsonBody(limits: Limits): RequestHandler {
  const parse = express.json({ limit: GRAPHQL_BODY_LIMIT_BYTES });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const { type, status } = err as { type?: string; status?: number };
      if (type === 'entity.too.large') {
        void refuseCounted(req, res, limits, () =>
          sendGraphQLError(res, 413, 'The request body is larger than 1 MB', { code: 'BAD_REQUEST', maxBytes: GRAPHQL_BODY_LIMIT_BYTES }),
        );
      } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
        void refuseCounted(req, res, limits, () => sendGraphQLError(res, 415, 'The request body must be UTF-8 JSON', { code: 'BAD_REQUEST' }));
      } else if (typeof status === 'number' && status >= 400 && status < 500) {
        void refuseCounted(req, res, limits, () => sendGraphQLError(res, 400, 'The request body is not valid JSON', { code: 'BAD_REQUEST' }));
      } else {
        next(err);
      }
    });
  };
}

/** The query and persisted-query hash of a request that registers an automatic persisted query (APQ), if it does. */
function persistedQueryRegistration(req: Request): { query: string; hash: unknown } | undefined {
  let params: unknown = req.body;
  if (req.method === 'GET') {
    const { query, extensions } = req.query as Record<string, unknown>;
    let parsed: unknown;
    try {
      parsed = typeof extensions === 'string' ? JSON.parse(extensions) : extensions;
    } catch {
      return undefined; // Apollo answers the malformed parameter
    }
    params = { query, extensions: parsed };
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const { query, extensions } = params as { query?: unknown; extensions?: unknown };
  const persisted = extensions !== null && typeof extensions === 'object' ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  if (typeof query !== 'string' || persisted === null || typeof persisted !== 'object') return undefined;
  return { query, hash: (persisted as { sha256Hash?: unknown }).sha256Hash };
}

/**
 * Registering an automatic persisted query stores the query in Redis for APQ_TTL_SECONDS: it
 * needs a token, the query must fit APQ_MAX_QUERY_BYTES, and a seller holds at most
 * APQ_MAX_PER_SELLER of them. Running one by its hash stays open to everyone.
 */
export function limitPersistedQueries(limits: Limits): RequestHandler {
  const { maxQueryBytes } = limits.settings.persistedQueries;
  return async (req, res, next) => {
    const registration = persistedQueryRegistration(req);
    if (!registration) return next();
    const auth = authentications.get(req);
    const viewer = auth && 'viewer' in auth ? auth.viewer : null;
    if (!viewer) {
      return sendGraphQLError(res, 401, 'Registering a persisted query needs a valid bearer token', { code: 'UNAUTHENTICATED' });
    }
    if (Buffer.byteLength(registration.query) > maxQueryBytes) {
      return refuseCounted(req, res, limits, () =>
        sendGraphQLError(res, 413, `A persisted query may hold at most ${maxQueryBytes} bytes`, { code: 'BAD_REQUEST', maxBytes: maxQueryBytes }),
      );
    }
    // a hash that does not match the query is refused by Apollo, and stores nothing
    if (registration.hash !== createHash('sha256').update(registration.query).digest('hex')) return next();
    const decision = await limits.registerPersistedQuery(viewer.sellerId, registration.hash);
    if (decision.allowed) return next();
    const { maxPerSeller } = limits.settings.persistedQueries;
    await refuseCounted(req, res, limits, () =>
      sendGraphQLError(
        res,
        429,
        `A seller holds at most ${maxPerSeller} persisted queries; send the full query without registering it, or wait until one expires`,
        { code: 'RATE_LIMITED', reason: 'PERSISTED_QUERIES', retryAfterMs: decision.retryAfterMs, maximum: maxPerSeller },
        { 'Retry-After': String(retryAfterSeconds(decision.retryAfterMs)) },
      ),
    );
  };
}

/**
 * Everything /graphql runs before Apollo, in order: authenticate from the headers, count the
 * request (with `deferRate`, a seller's request is counted at its operation's admission, see
 * limitRequestRate), refuse bad credentials, read the body, bound persisted-query
 * registrations. Mount before expressMiddleware; the SSE endpoint mounts the same list.
 */
export function graphqlGuards(deps: { authenticate: Authenticate; limits: Limits; deferRate?: boolean }): RequestHandler[] {
  return [
    authenticateRequest(deps.authenticate),
    limitRequestRate(deps.limits, { defer: deps.deferRate }),
    refuseBadCredentials(),
    graphqlJsonBody(deps.limits),
    limitPersistedQueries(deps.limits),
  ];
}
