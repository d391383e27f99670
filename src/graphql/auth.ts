import { createRemoteJWKSet, jwksCache, jwtVerify, SignJWT, type JWKSCacheInput, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { unauthenticated } from './errors.js';
import { VerifiedTokens } from './verified-tokens.js';

/** Who is calling: every read and write is scoped to sellerId. */
export interface Viewer {
  sellerId: string;
  role: 'seller' | 'admin';
  /** Seconds since the epoch when the token stops being valid, if it expires. */
  expiresAt?: number;
}

const SELLER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export type Authenticate = (authorization: string | undefined, gatewaySellerId: string | undefined) => Promise<Viewer | null>;

/** Verified tokens kept per authenticator (a new secret means a new authenticator, so an empty cache). */
const CACHED_TOKENS = 10_000;
/** A token without exp is verified again after this long. */
const NO_EXPIRY_CACHE_MS = 5 * 60_000;

export interface AuthenticatorOptions {
  /** How long fetched JWKS keys are used before they are fetched again (jose's default: 10 minutes). */
  jwksCacheMaxAgeMs?: number;
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
      return { sellerId: gatewaySellerId, role: 'seller' };
    };
  }
  // jose updates `uat` whenever it fetches the JWKS again: a token verified under older keys is verified again
  const fetchedKeys: JWKSCacheInput = {} as JWKSCacheInput;
  const jwks = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge: options.jwksCacheMaxAgeMs, [jwksCache]: fetchedKeys }) : undefined;
  // the HS256 secret imported once: given raw bytes, jose imports the key again on every request
  const secretKey = jwks ? undefined : crypto.subtle.importKey('raw', new TextEncoder().encode(auth.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  secretKey?.catch(() => undefined); // a failed import is reported by each verification, not as an unhandled rejection
  const algorithms = jwks ? ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] : ['HS256'];
  const verified = new VerifiedTokens<Viewer>(CACHED_TOKENS, NO_EXPIRY_CACHE_MS);
  const currentKeys = (): unknown => (jwks ? (jwks.fresh ? (fetchedKeys as { uat?: number }).uat : undefined) : secretKey);

  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
    const token = match[1]!;
    const keys = currentKeys();
    const cached = keys === undefined ? undefined : verified.get(token, keys);
    if (cached) return cached;
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
    const viewer: Viewer = Object.freeze({
      sellerId: payload.sub,
      role: payload['role'] === 'admin' ? 'admin' : 'seller',
      expiresAt: payload.exp,
    });
    // the keys it was verified with: read after jwtVerify, which may have fetched the JWKS again
    verified.set(token, viewer, viewer.expiresAt, currentKeys());
    return viewer;
  };
}

export interface TokenOptions {
  role?: 'admin';
  /** e.g. "12h", or seconds; 12 h when absent (every token expires) */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token for local use and tests; production tokens come from the identity provider. */
export async function signToken(secret: string, sellerId: string, options: TokenOptions = {}): Promise<string> {
  let jwt = new SignJWT(options.role ? { role: options.role } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sellerId)
    .setIssuedAt();
  const expiresIn = options.expiresIn ?? '12h';
  jwt = jwt.setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
