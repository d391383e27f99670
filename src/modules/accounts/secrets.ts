import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: refresh tokens, invite tokens, API key secrets. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Stored form of a high-entropy secret: its SHA-256 (a slow hash adds nothing to 256 random bits). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSecretHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

const API_KEY = /^amk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** A new API key: amk_<prefix>_<secret>; the prefix finds it, the secret proves it. */
export function newApiKey(): { prefix: string; secret: string; key: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomSecret();
  return { prefix, secret, key: `amk_${prefix}_${secret}` };
}

export function isApiKeyShaped(token: string): boolean {
  return token.startsWith('amk_');
}

export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const match = API_KEY.exec(token);
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}
