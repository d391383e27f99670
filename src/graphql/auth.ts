import { createRemoteJWKSet, jwksCache, jwtVerify, SignJWT, type JWKSCacheInput, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { isApiKeyShaped } from '../modules/accounts/secrets.js';
import { isRole, Role } from '../modules/accounts/roles.js';
import { unauthenticated } from './errors.js';
import { VerifiedTokens } from './verified-tokens.js';

/** Who is calling: every read and write is scoped to sellerId. */
export interface Viewer {
  sellerId: string;
  role: 'seller' | 'admin';
  /** Seconds since the epoch when the token stops being valid, if it expires. */
  expiresAt?: number;
  /**
   * What the caller may do (src/graphql/access-policy.ts). A token without a seller_role claim
   * (npm run token, an identity provider, the gateway) is OWNER, as every token was before roles.
   */
  access: Role;
  /** Set for a signed-in user's access token. */
  userId?: string;
  /** The session an access token belongs to: revoking it refuses the token. */
  sessionId?: string;
  /** Set when the caller used an API key. */
  apiKeyId?: string;
}

/** The claims of an access token that signIn hands out, beside sub (the seller). */
export const ACCESS_CLAIMS = { role: 'seller_role', session: 'sid', user: 'uid' } as const;

/**
 * Sessions and API keys stored by the accounts module: looked up when a token names a session
 * or is an API key, and looked up again every recheckMs, so a revocation is noticed within it.
 */
export interface AccountCredentials {
  readonly recheckMs: number;
  /** The viewer of a valid API key, or null (unknown, wrong secret, revoked). */
  apiKey(token: string): Promise<Viewer | null>;
  /** The session's user's current role, or null once the session is revoked, expired or the user removed. */
  session(sessionId: string): Promise<{ role: Role } | null>;
  /** False once the API key was revoked. */
  apiKeyValid(apiKeyId: string): Promise<boolean>;
}

const SELLER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export type Authenticate = ((authorization: string | undefined, gatewaySellerId: string | undefined) => Promise<Viewer | null>) & {
  /**
   * For open connections (WebSocket, SSE): whether the viewer's session or API key is still
   * valid, and how often to ask. Absent when no account credentials are in use.
   */
  revalidate?: { everyMs: number; check: (viewer: Viewer) => Promise<boolean> };
};

/** Verified tokens kept per authenticator (a new secret means a new authenticator, so an empty cache). */
const CACHED_TOKENS = 10_000;
/** A token without exp is verified again after this long. */
const NO_EXPIRY_CACHE_MS = 5 * 60_000;

export interface AuthenticatorOptions {
  /** How long fetched JWKS keys are used before they are fetched again (jose's default: 10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** Users' sessions and API keys; without them, API keys and session tokens are refused. */
  credentials?: AccountCredentials;
}

/** Refuses a revoked session; a live one carries the user's current role (a role change applies within recheckMs). */
async function withSession(viewer: Viewer, credentials: AccountCredentials | undefined): Promise<Viewer> {
  if (viewer.sessionId === undefined) return viewer;
  const session = credentials ? await credentials.session(viewer.sessionId) : null;
  if (!session) throw unauthenticated('The session has ended (signed out, revoked or expired): sign in again');
  return session.role === viewer.access ? viewer : Object.freeze({ ...viewer, access: session.role });
}

/**
 * Returns null when no credentials were sent; throws UNAUTHENTICATED when the
 * credentials are there but wrong, so a bad token never degrades to anonymous.
 */
export function createAuthenticator(auth: Config['auth'], options: AuthenticatorOptions = {}): Authenticate {
  if (auth.mode === 'gateway') {
    return async (_authorization, gatewaySellerId) => {
      if (gatewaySellerId === undefined || gatewaySellerId === '') return null;
      if (!SELLER_ID.test(gatewaySellerId)) throw unauthenticated('X-Seller-Id is not a valid seller id');
      return { sellerId: gatewaySellerId, role: 'seller', access: Role.OWNER };
    };
  }
  const { credentials } = options;
  // jose updates `uat` whenever it fetches the JWKS again: a token verified under older keys is verified again
  const fetchedKeys: JWKSCacheInput = {} as JWKSCacheInput;
  const jwks = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge: options.jwksCacheMaxAgeMs, [jwksCache]: fetchedKeys }) : undefined;
  // the HS256 secret imported once: given raw bytes, jose imports the key again on every request
  const secretKey = jwks ? undefined : crypto.subtle.importKey('raw', new TextEncoder().encode(auth.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  secretKey?.catch(() => undefined); // a failed import is reported by each verification, not as an unhandled rejection
  const algorithms = jwks ? ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] : ['HS256'];
  const verified = new VerifiedTokens<Viewer>(CACHED_TOKENS, NO_EXPIRY_CACHE_MS);
  const currentKeys = (): unknown => (jwks ? (jwks.fresh ? (fetchedKeys as { uat?: number }).uat : undefined) : secretKey);

  const authenticate: Authenticate = async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
    const token = match[1]!;
    if (isApiKeyShaped(token)) {
      const viewer = credentials ? await credentials.apiKey(token) : null;
      if (!viewer) throw unauthenticated('The API key is invalid or was revoked');
      return viewer;
    }
    const keys = currentKeys();
    const cached = keys === undefined ? undefined : verified.get(token, keys);
    if (cached) return withSession(cached, credentials);
    let payload: JWTPayload;
    try {
      const verifyOptions = { algorithms, issuer: auth.issuer, audience: auth.audience };
      ({ payload } = jwks ? await jwtVerify(token, jwks, verifyOptions) : await jwtVerify(token, await secretKey!, verifyOptions));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'The token has expired' : 'The token is invalid');
    }
    if (typeof payload.sub !== 'string' || !SELLER_ID.test(payload.sub)) throw unauthenticated('The token has no valid seller id in sub');
    // a token without exp would be valid forever once leaked
    if (typeof payload.exp !== 'number') throw unauthenticated('The token has no exp: tokens must expire');
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
    if (payload.exp - issuedAt > auth.maxLifetimeSeconds) throw unauthenticated(`The token lives longer than the allowed ${auth.maxLifetimeSeconds} s`);
    const sessionId = payload[ACCESS_CLAIMS.session];
    const userId = payload[ACCESS_CLAIMS.user];
    const claimedRole = payload[ACCESS_CLAIMS.role];
    const viewer: Viewer = Object.freeze({
      sellerId: payload.sub,
      role: payload['role'] === 'admin' ? 'admin' : 'seller',
      expiresAt: payload.exp,
      access: isRole(claimedRole) ? claimedRole : Role.OWNER,
      ...(typeof sessionId === 'string' ? { sessionId } : {}),
      ...(typeof userId === 'string' ? { userId } : {}),
    });
    // the keys it was verified with: read after jwtVerify, which may have fetched the JWKS again
    verified.set(token, viewer, viewer.expiresAt, currentKeys());
    return withSession(viewer, credentials);
  };
  if (credentials) {
    authenticate.revalidate = {
      everyMs: credentials.recheckMs,
      check: async (viewer) => {
        if (viewer.apiKeyId !== undefined) return credentials.apiKeyValid(viewer.apiKeyId);
        if (viewer.sessionId !== undefined) return (await credentials.session(viewer.sessionId)) !== null;
        return true;
      },
    };
  }
  return authenticate;
}

export interface TokenOptions {
  role?: 'admin';
  /** The seller_role claim: what the token may do (OWNER without it). */
  sellerRole?: Role;
  /** An access token of a signed-in user: its session and user. */
  session?: { sessionId: string; userId: string };
  /** e.g. "12h", or seconds; 12 h when absent (every token expires) */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token for local use and tests; production tokens come from the identity provider. */
export async function signToken(secret: string, sellerId: string, options: TokenOptions = {}): Promise<string> {
  const claims: Record<string, string> = {};
  if (options.role) claims['role'] = options.role;
  if (options.sellerRole) claims[ACCESS_CLAIMS.role] = options.sellerRole;
  if (options.session) {
    claims[ACCESS_CLAIMS.session] = options.session.sessionId;
    claims[ACCESS_CLAIMS.user] = options.session.userId;
  }
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sellerId)
    .setIssuedAt();
  const expiresIn = options.expiresIn ?? '12h';
  jwt = jwt.setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
