import type { AccountCredentials, Viewer } from '../../graphql/auth.js';
import type { Database } from '../../infra/prisma.js';
import { Role } from './roles.js';
import { parseApiKey, sameSecretHash, secretHash } from './secrets.js';

const MAX_ENTRIES = 10_000;
/** lastUsedAt is written at most this often per key (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

/** A bounded map whose entries are answered for ttlMs, then looked up again. */
class Recent<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  constructor(private readonly ttlMs: number) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.until > Date.now()) return entry.value;
    const value = await load();
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Sessions and API keys as the authenticator checks them: each answer is kept for recheckMs,
 * so another process notices a revocation within it; this process forgets at once (forget()).
 */
export class CredentialChecks implements AccountCredentials {
  private readonly sessions: Recent<{ role: Role } | null>;
  private readonly keys: Recent<Viewer | null>;
  private readonly keyIds: Recent<boolean>;

  constructor(
    private readonly db: Database,
    readonly recheckMs: number,
  ) {
    this.sessions = new Recent(recheckMs);
    this.keys = new Recent(recheckMs);
    this.keyIds = new Recent(recheckMs);
  }

  session(sessionId: string): Promise<{ role: Role } | null> {
    return this.sessions.get(sessionId, async () => {
      const session = await this.db.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true, expiresAt: true, user: { select: { role: true } } } });
      if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
      return { role: session.user.role as Role };
    });
  }

  apiKey(token: string): Promise<Viewer | null> {
    return this.keys.get(token, async () => {
      const parsed = parseApiKey(token);
      if (!parsed) return null;
      const key = await this.db.apiKey.findUnique({ where: { prefix: parsed.prefix } });
      if (!key || key.revokedAt || !sameSecretHash(secretHash(parsed.secret), key.secretHash)) return null;
      if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
        await this.db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
      }
      return Object.freeze({ sellerId: key.sellerId, role: 'seller' as const, access: key.role as Role, apiKeyId: key.id });
    });
  }

  apiKeyValid(apiKeyId: string): Promise<boolean> {
    return this.keyIds.get(apiKeyId, async () => {
      const key = await this.db.apiKey.findUnique({ where: { id: apiKeyId }, select: { revokedAt: true } });
      return key !== null && key.revokedAt === null;
    });
  }

  /** After a revocation or role change here: answer from the database from now on. */
  forget(): void {
    this.sessions.clear();
    this.keys.clear();
    this.keyIds.clear();
  }
}
