import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { unauthenticated } from './errors.js';

/** Who is calling: every read and write is scoped to sellerId. */
export interface Viewer {
  sellerId: string;
  role: 'seller' | 'admin';
  /** Seconds since the epoch when the token stops being valid, if it expires. */
  expiresAt?: number;
}

const SELLER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export type Authenticate = (authorization: string | undefined, gatewaySellerId: string | undefined) => Promise<Viewer | null>;

/**
 * Returns null when no credentials were sent; throws UNAUTHENTICATED when the
 * credentials are there but wrong, so a bad token never degrades to anonymous.
 */
export function createAuthenticator(auth: Config['auth']): Authenticate {
  if (auth.mode === 'gateway') {
    return async (_authorization, gatewaySellerId) => {
      if (gatewaySellerId === undefined || gatewaySellerId === '') return null;
      if (!SELLER_ID.test(gatewaySellerId)) throw unauthenticated('X-Seller-Id is not a valid seller id');
      return { sellerId: gatewaySellerId, role: 'seller' };
    };
  }
  const jwks = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  // the HS256 secret imported once: given raw bytes, jose imports the key again on every request
  const secretKey = jwks ? undefined : crypto.subtle.importKey('raw', new TextEncoder().encode(auth.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  secretKey?.catch(() => undefined); // a failed import is reported by each verification, not as an unhandled rejection
  const algorithms = jwks ? ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] : ['HS256'];
  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
    let payload: JWTPayload;
    try {
      const options = { algorithms, issuer: auth.issuer, audience: auth.audience };
      ({ payload } = jwks ? await jwtVerify(match[1]!, jwks, options) : await jwtVerify(match[1]!, await secretKey!, options));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'The token has expired' : 'The token is invalid');
    }
    if (typeof payload.sub !== 'string' || !SELLER_ID.test(payload.sub)) throw unauthenticated('The token has no valid seller id in sub');
    // a token without exp would be valid forever once leaked
    if (typeof payload.exp !== 'number') throw unauthenticated('The token has no exp: tokens must expire');
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
    if (payload.exp - issuedAt > auth.maxLifetimeSeconds) throw unauthenticated(`The token lives longer than the allowed ${auth.maxLifetimeSeconds} s`);
    return {
      sellerId: payload.sub,
      role: payload['role'] === 'admin' ? 'admin' : 'seller',
      expiresAt: payload.exp,
    };
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
