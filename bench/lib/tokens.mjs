import { SignJWT } from 'jose';

/** An HS256 token for a seller, like `npm run token -- --seller X`. */
export function tokenFor(secret, sellerId, expiresIn = '12h') {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sellerId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
