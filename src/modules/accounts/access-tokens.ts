import type { Config } from '../../config.js';
import { signToken } from '../../graphql/auth.js';
import type { Role } from './roles.js';

/** Signs a signed-in user's access token as `npm run token` does (HS256, JWT_SECRET), naming its session. */
export class AccessTokens {
  constructor(
    private readonly auth: Config['auth'],
    readonly lifetimeSeconds: number,
  ) {}

  /** Accounts sign their own tokens: with a JWKS provider or a gateway, tokens come from there. */
  get unavailableReason(): string | null {
    if (this.auth.mode !== 'jwt' || this.auth.jwksUrl || !this.auth.secret) {
      return 'Accounts are off: with JWKS_URL or AUTH_MODE=gateway, sign in at the identity provider or gateway';
    }
    return null;
  }

  async sign(claims: { sellerId: string; role: Role; sessionId: string; userId: string }): Promise<{ token: string; expiresAt: Date }> {
    const lifetime = Math.min(this.lifetimeSeconds, this.auth.maxLifetimeSeconds);
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + lifetime) * 1000);
    const token = await signToken(this.auth.secret!, claims.sellerId, {
      sellerRole: claims.role,
      session: { sessionId: claims.sessionId, userId: claims.userId },
      expiresIn: lifetime,
      issuer: this.auth.issuer,
      audience: this.auth.audience,
    });
    return { token, expiresAt };
  }
}
