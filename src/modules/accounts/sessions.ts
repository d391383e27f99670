import { randomUUID } from 'node:crypto';
import type { Database } from '../../infra/prisma.js';
import type { AccessTokens } from './access-tokens.js';
import type { AuthTokens } from './accounts.types.js';
import type { CredentialChecks } from './credential-checks.js';
import type { Role } from './roles.js';
import { randomSecret, secretHash } from './secrets.js';

export type RefreshOutcome =
  | { kind: 'rotated'; tokens: AuthTokens; userId: string }
  | { kind: 'unknown' }
  | { kind: 'ended' }
  /** An already used token came back: someone else holds the family; the session is revoked. */
  | { kind: 'reused'; sellerId: string; email: string };

/** Sessions and their refresh-token families. */
export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly accessTokens: AccessTokens,
    private readonly credentials: CredentialChecks,
    private readonly refreshDays: number,
    private readonly reuseGraceMs: number,
  ) {}

  /** A new session of the user, with its first tokens. */
  async start(user: { id: string; sellerId: string; role: string }): Promise<AuthTokens> {
    const sessionId = randomUUID();
    const refreshToken = randomSecret();
    const expiresAt = new Date(Date.now() + this.refreshDays * 86_400_000);
    await this.db.session.create({
      data: { id: sessionId, userId: user.id, expiresAt, refreshTokens: { create: { hash: secretHash(refreshToken), expiresAt } } },
    });
    return this.tokens(user, sessionId, refreshToken, expiresAt);
  }

  /** Trades a refresh token for new tokens; the old one is spent, and spending it twice revokes the session. */
  async refresh(refreshToken: string): Promise<RefreshOutcome> {
    const hash = secretHash(refreshToken);
    const row = await this.db.refreshToken.findUnique({ where: { hash }, include: { session: { include: { user: true } } } });
    if (!row) return { kind: 'unknown' };
    const { session } = row;
    const spend = await this.db.refreshToken.updateMany({ where: { hash, usedAt: null }, data: { usedAt: new Date() } });
    if (spend.count === 0 && !(await this.concurrentRefresh(hash, session.id))) {
      await this.revoke({ sessionId: session.id });
      return { kind: 'reused', sellerId: session.user.sellerId, email: session.user.email };
    }
    if (session.revokedAt || session.expiresAt.getTime() <= Date.now() || row.expiresAt.getTime() <= Date.now()) return { kind: 'ended' };
    const next = randomSecret();
    await this.db.refreshToken.create({ data: { hash: secretHash(next), sessionId: session.id, expiresAt: session.expiresAt } });
    return { kind: 'rotated', tokens: await this.tokens(session.user, session.id, next, session.expiresAt), userId: session.user.id };
  }

  /**
   * A spent token presented again within the grace after its rotation, while no token of its
   * session has been spent since: two tabs refreshing at once, not a copy. It gets a sibling
   * token; any later replay still revokes the session.
   */
  private async concurrentRefresh(hash: string, sessionId: string): Promise<boolean> {
    if (this.reuseGraceMs === 0) return false;
    const spent = await this.db.refreshToken.findUnique({ where: { hash }, select: { usedAt: true } });
    if (!spent?.usedAt || spent.usedAt.getTime() < Date.now() - this.reuseGraceMs) return false;
    const spentSince = await this.db.refreshToken.count({ where: { sessionId, usedAt: { gt: spent.usedAt } } });
    return spentSince === 0;
  }

  /** The email of the user a refresh token belongs to, if any (to count attempts before spending it). */
  async emailOf(refreshToken: string): Promise<string | null> {
    const row = await this.db.refreshToken.findUnique({ where: { hash: secretHash(refreshToken) }, select: { session: { select: { user: { select: { email: true } } } } } });
    return row?.session.user.email ?? null;
  }

  /** The session a refresh token belongs to, if any. */
  async sessionOf(refreshToken: string): Promise<{ id: string; userId: string } | null> {
    const row = await this.db.refreshToken.findUnique({ where: { hash: secretHash(refreshToken) }, select: { session: { select: { id: true, userId: true } } } });
    return row?.session ?? null;
  }

  /** Ends one session, every session of a user, or all but one of them; returns how many ended. */
  async revoke(which: { sessionId: string } | { userId: string; except?: string }): Promise<number> {
    const where = 'sessionId' in which ? { id: which.sessionId } : { userId: which.userId, ...(which.except ? { id: { not: which.except } } : {}) };
    const { count } = await this.db.session.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
    this.credentials.forget();
    return count;
  }

  private async tokens(user: { id: string; sellerId: string; role: string }, sessionId: string, refreshToken: string, refreshTokenExpiresAt: Date): Promise<AuthTokens> {
    const access = await this.accessTokens.sign({ sellerId: user.sellerId, role: user.role as Role, sessionId, userId: user.id });
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, refreshTokenExpiresAt };
  }
}
