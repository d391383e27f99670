import { createHash } from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Authenticate, Viewer } from '../graphql/auth.js';
import { callerOf } from '../limits/caller.js';
import { UncountedRequest } from '../limits/request-rate.js';
import { retryAfterSeconds } from '../limits/errors.js';
import type { Limits } from '../limits/limits.js';
import { sendGraphQLError } from './graphql-errors.js';
import { readJsonBody, type BodyError } from './json-body.js';

/** The largest /graphql request body: 1 MB. Larger ones are answered 413 unread. */
export const GRAPHQL_BODY_LIMIT_BYTES = 1024 * 1024;

type Authentication = { viewer: Viewer | null } | { error: GraphQLError };
const authentications = new WeakMap<IncomingMessage, Authentication>();

/** A request as the guards see it: Node's, with the body once it is read (req.query too, over Express). */
type GuardedRequest = IncomingMessage & { body?: unknown };

/**
 * One guard: answers the request and returns false, or returns true to let the next one run.
 * The guards work on Node's request and response, so Express (graphqlGuards) and the /graphql
 * fast path (graphqlFastGuards) run the same ones.
 */
type Guard = (req: GuardedRequest, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * Verifies the token from the headers alone, before the body is read, and keeps the outcome
 * for the request: a valid token makes the seller the caller of every limit; a bad token is
 * answered 401 by refuseBadCredentials, and until then counts against the client address.
 */
export function authenticateRequest(authenticate: Authenticate): Guard {
  return async (req) => {
    const gatewaySeller = req.headers['x-seller-id'];
    try {
      authentications.set(req, { viewer: await authenticate(req.headers.authorization, typeof gatewaySeller === 'string' ? gatewaySeller : undefined) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      authentications.set(req, { error });
    }
    return true;
  };
}

/** The seller of the request's valid token, or null without one. For the GraphQL context. */
export function viewerOf(req: IncomingMessage): Viewer | null {
  const auth = authentications.get(req);
  // fail closed: without the pre-step every request would look anonymous
  if (!auth) throw new Error('authenticateRequest must run before the GraphQL handler');
  if ('error' in auth) throw auth.error;
  return auth.viewer;
}

const clientIps = new WeakMap<IncomingMessage, string>();

/** Records the client address of a request served without Express (the /graphql fast path). */
export function noteClientIp(req: IncomingMessage, ip: string): void {
  clientIps.set(req, ip);
}

/** The address limits count anonymous callers by (as Express's req.ip: trust proxy applies). */
export function clientIpOf(req: IncomingMessage): string {
  return clientIps.get(req) ?? (req as Partial<Request>).ip ?? req.socket.remoteAddress ?? 'unknown';
}

const uncountedRequests = new WeakMap<IncomingMessage, UncountedRequest>();

/** The rate count limitRequestRate left to the operation's admission, if it did. For the GraphQL context. */
export function uncountedRequestOf(req: IncomingMessage): UncountedRequest | undefined {
  return uncountedRequests.get(req);
}

function sendRequestRateRefusal(res: ServerResponse, limits: Limits, retryAfterMs: number): void {
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
export function limitRequestRate(limits: Limits, options: { defer?: boolean } = {}): Guard {
  return async (req, res) => {
    const auth = authentications.get(req);
    const viewer = auth && 'viewer' in auth ? auth.viewer : null;
    const caller = callerOf(viewer, clientIpOf(req));
    if (options.defer && viewer) {
      const uncounted = new UncountedRequest(caller);
      uncountedRequests.set(req, uncounted);
      res.once('finish', () => void limits.countRequest(uncounted).catch(() => undefined));
      return true;
    }
    const decision = await limits.checkRequestRate(caller);
    if (decision.allowed) return true;
    sendRequestRateRefusal(res, limits, decision.retryAfterMs);
    return false;
  };
}

/** Sends a guard's refusal, unless the request's deferred rate count refuses it first: then its 429. */
async function refuseCounted(req: IncomingMessage, res: ServerResponse, limits: Limits, send: () => void): Promise<void> {
  const uncounted = uncountedRequests.get(req);
  if (uncounted) {
    const rate = await limits.countRequest(uncounted);
    if (!rate.allowed) return sendRequestRateRefusal(res, limits, rate.retryAfterMs);
  }
  send();
}

/** 401 for credentials that were sent but are not valid (no credentials at all go on: introspection). */
export function refuseBadCredentials(): Guard {
  return (req, res) => {
    const auth = authentications.get(req);
    if (!auth || !('error' in auth)) return true;
    const { http: _http, ...extensions } = auth.error.extensions as { code: string; http?: unknown };
    sendGraphQLError(res, 401, auth.error.message, extensions);
    return false;
  };
}

/**
 * Refuses a body that could not be read, GraphQL-shaped: 413 over the limit, 415 for another
 * charset or encoding, 400 for bad JSON. False for an error that is not the client's.
 */
function refuseUnreadableBody(req: IncomingMessage, res: ServerResponse, limits: Limits, err: unknown): boolean {
  const { type, status } = err as Partial<BodyError>;
  if (type === 'entity.too.large') {
    void refuseCounted(req, res, limits, () =>
      sendGraphQLError(res, 413, 'The request body is larger than 1 MB', { code: 'BAD_REQUEST', maxBytes: GRAPHQL_BODY_LIMIT_BYTES }),
    );
  } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    void refuseCounted(req, res, limits, () => sendGraphQLError(res, 415, 'The request body must be UTF-8 JSON', { code: 'BAD_REQUEST' }));
  } else if (typeof status === 'number' && status >= 400 && status < 500) {
    void refuseCounted(req, res, limits, () => sendGraphQLError(res, 400, 'The request body is not valid JSON', { code: 'BAD_REQUEST' }));
  } else {
    return false;
  }
  return true;
}

/** express.json with its refusals as GraphQL-shaped JSON (refuseUnreadableBody). */
export function graphqlJsonBody(limits: Limits): Guard {
  const parse = express.json({ limit: GRAPHQL_BODY_LIMIT_BYTES });
  return (req, res) =>
    new Promise((resolve, reject) => {
      parse(req as Request, res as Parameters<RequestHandler>[1], (err?: unknown) => {
        if (!err) resolve(true);
        else if (refuseUnreadableBody(req, res, limits, err)) resolve(false);
        else reject(err);
      });
    });
}

/**
 * The body read by readJsonBody, for requests isPlainJsonRequest accepts (the fast path sends no
 * other), with the same refusals as graphqlJsonBody. A request that had already ended keeps no
 * body, as with express.json.
 */
export function plainJsonBody(limits: Limits): Guard {
  return async (req, res) => {
    const read = await readJsonBody(req, GRAPHQL_BODY_LIMIT_BYTES);
    if ('body' in read) req.body = read.body;
    else if ('error' in read) return !refuseUnreadableBody(req, res, limits, read.error);
    return true;
  };
}

/** The query and persisted-query hash of a request that registers an automatic persisted query (APQ), if it does. */
function persistedQueryRegistration(req: GuardedRequest): { query: string; hash: unknown } | undefined {
  let params: unknown = req.body;
  if (req.method === 'GET') {
    // GET requests only come through Express, which parsed the query string
    const { query, extensions } = (req as Request).query as Record<string, unknown>;
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
export function limitPersistedQueries(limits: Limits): Guard {
  const { maxQueryBytes } = limits.settings.persistedQueries;
  return async (req, res) => {
    const registration = persistedQueryRegistration(req);
    if (!registration) return true;
    const auth = authentications.get(req);
    const viewer = auth && 'viewer' in auth ? auth.viewer : null;
    if (!viewer) {
      sendGraphQLError(res, 401, 'Registering a persisted query needs a valid bearer token', { code: 'UNAUTHENTICATED' });
      return false;
    }
    if (Buffer.byteLength(registration.query) > maxQueryBytes) {
      await refuseCounted(req, res, limits, () =>
        sendGraphQLError(res, 413, `A persisted query may hold at most ${maxQueryBytes} bytes`, { code: 'BAD_REQUEST', maxBytes: maxQueryBytes }),
      );
      return false;
    }
    // a hash that does not match the query is refused by Apollo, and stores nothing
    if (registration.hash !== createHash('sha256').update(registration.query).digest('hex')) return true;
    const decision = await limits.registerPersistedQuery(viewer.sellerId, registration.hash);
    if (decision.allowed) return true;
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
    return false;
  };
}

type GuardDeps = { authenticate: Authenticate; limits: Limits; deferRate?: boolean };

/**
 * Everything /graphql runs before Apollo, in order: authenticate from the headers, count the
 * request (with `deferRate`, a seller's request is counted at its operation's admission, see
 * limitRequestRate), refuse bad credentials, read the body, bound persisted-query
 * registrations.
 */
function guardsInOrder(deps: GuardDeps, readBody: Guard): Guard[] {
  return [authenticateRequest(deps.authenticate), limitRequestRate(deps.limits, { defer: deps.deferRate }), refuseBadCredentials(), readBody, limitPersistedQueries(deps.limits)];
}

/** The guards (guardsInOrder) as Express middleware. Mount before apolloHandler; the SSE endpoint mounts the same list. */
export function graphqlGuards(deps: GuardDeps): RequestHandler[] {
  return guardsInOrder(deps, graphqlJsonBody(deps.limits)).map(
    (guard): RequestHandler =>
      async (req, res, next) => {
        if (await guard(req, res)) next();
      },
  );
}

/**
 * The same guards for the /graphql fast path, whose requests isPlainJsonRequest accepted: true
 * when the request passed them all, false when one answered it.
 */
export function graphqlFastGuards(deps: GuardDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const guards = guardsInOrder(deps, plainJsonBody(deps.limits));
  return async (req, res) => {
    for (const guard of guards) if (!(await guard(req, res))) return false;
    return true;
  };
}
