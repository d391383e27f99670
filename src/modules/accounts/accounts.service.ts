import { randomBytes, randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { AccountsConfig, Config } from '../../config.js';
import type { Viewer } from '../../graphql/auth.js';
import { unauthenticated } from '../../graphql/errors.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import type { Database } from '../../infra/prisma.js';
import type { Redis } from 'ioredis';
import { AccessTokens } from './access-tokens.js';
import { cleanName, emailProblem, normalizeEmail } from './account-input.js';
import { failed, userFailed, userView, type AuthResult, type Caller, type UserResult } from './account-results.js';
import type { User } from './accounts.types.js';
import { actorOf, listAudit, recordAudit } from './audit-log.js';
import { CredentialChecks } from './credential-checks.js';
import { hashPassword, PASSWORD_MAX_LENGTH, passwordMatches, passwordProblem, preparePasswordChecks } from './passwords.js';
import { Role } from './roles.js';
import { Sessions } from './sessions.js';
import { SignInLimits } from './sign-in-limits.js';

const WRONG_CREDENTIALS = 'The email or the password is wrong';

/** The signed-in user behind a viewer; tokens that name only a seller (or an API key) have none. */
function userIdOf(viewer: Viewer | null): string {
  if (!viewer) throw unauthenticated();
  if (viewer.userId === undefined) {
    throw new GraphQLError("This needs a signed-in user's access token (from signIn); this token names a seller or an API key, not a user", {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  return viewer.userId;
}

/** Sign-up, sign-in, sessions, profile and password; TeamService has invitations and roles. */
export class AccountsService {
  readonly credentials: CredentialChecks;
  readonly sessions: Sessions;
  private readonly accessTokens: AccessTokens;
  readonly limits: SignInLimits;

  constructor(
    private readonly db: Database,
    redis: Redis,
    config: Pick<Config, 'auth' | 'accounts' | 'redisPrefix'>,
    private readonly settings: AccountsConfig = config.accounts,
  ) {
    this.credentials = new CredentialChecks(db, settings.recheckMs);
    this.accessTokens = new AccessTokens(config.auth, settings.accessTokenSeconds);
    this.sessions = new Sessions(db, this.accessTokens, this.credentials, settings.refreshTokenDays, settings.refreshReuseGraceMs);
    this.limits = new SignInLimits(redis, config.redisPrefix, settings);
    preparePasswordChecks();
  }

  /** Accounts sign their own tokens: refused in JWKS and gateway modes. */
  ensureAvailable(): void {
    const reason = this.accessTokens.unavailableReason;
    if (reason) throw new GraphQLError(reason, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
  }

  async signUp(input: { email: string; password: string; name?: string | null; sellerName: string }, caller: Caller): Promise<AuthResult> {
    this.ensureAvailable();
    await this.limits.count({ address: caller.clientIp });
    const email = normalizeEmail(input.email);
    const name = cleanName(input.name, ['input', 'name']);
    const sellerName = cleanName(input.sellerName, ['input', 'sellerName'], true);
    const errors = [emailProblem(email, ['input', 'email']), name.error, sellerName.error].filter((e): e is UserError => e !== null);
    const weak = passwordProblem(input.password, this.settings.passwordMinLength, [email.split('@')[0]!, name.value ?? '']);
    if (weak) errors.push(userError(UserErrorCode.INVALID, weak, ['input', 'password']));
    if (errors.length > 0) return failed(errors);
    const passwordHash = await hashPassword(input.password);
    const sellerId = `s-${randomBytes(10).toString('hex')}`;
    const userId = randomUUID();
    const created = await this.db
      .$transaction(async (tx) => {
        await tx.seller.create({ data: { id: sellerId } });
        await tx.sellerAccount.create({ data: { sellerId, name: sellerName.value! } });
        const user = await tx.user.create({ data: { id: userId, sellerId, email, name: name.value, role: Role.OWNER, passwordHash, lastSignInAt: new Date() } });
        await recordAudit(tx, { sellerId, action: 'SIGN_UP', actor: `user:${email}`, subject: sellerName.value, clientIp: caller.clientIp });
        return user;
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'P2002') return null; // the email is taken
        throw error;
      });
    if (!created) return failed([userError(UserErrorCode.TAKEN, 'An account with this email exists: sign in instead', ['input', 'email'])]);
    return { tokens: await this.sessions.start(created), user: userView(created), userErrors: [] };
  }

  /** An unknown email and a wrong password get the same answer after the same work (one Argon2id verification). */
  async signIn(input: { email: string; password: string }, caller: Caller): Promise<AuthResult> {
    this.ensureAvailable();
    const email = normalizeEmail(input.email);
    await this.limits.count({ address: caller.clientIp, email });
    const user = email.length <= 254 ? await this.db.user.findUnique({ where: { email } }) : null;
    const password = input.password.length <= PASSWORD_MAX_LENGTH ? input.password : '';
    const matches = await passwordMatches(password, user?.passwordHash ?? null);
    if (!user || !matches) {
      if (user) await recordAudit(this.db, { sellerId: user.sellerId, action: 'SIGN_IN_FAILED', actor: `user:${email}`, clientIp: caller.clientIp });
      return failed([userError(UserErrorCode.INVALID, WRONG_CREDENTIALS, ['input'])]);
    }
    const signedIn = await this.db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit(this.db, { sellerId: user.sellerId, action: 'SIGN_IN', actor: `user:${email}`, clientIp: caller.clientIp });
    return { tokens: await this.sessions.start(signedIn), user: userView(signedIn), userErrors: [] };
  }

  async refreshSession(refreshToken: string, caller: Caller): Promise<AuthResult> {
    this.ensureAvailable();
    await this.limits.count({ address: caller.clientIp });
    if (refreshToken.length > 100) return failed([userError(UserErrorCode.INVALID, 'The refresh token is not valid: sign in again', ['refreshToken'])]);
    // counted before the token is spent: a refused refresh leaves the session usable
    const email = await this.sessions.emailOf(refreshToken);
    if (email !== null) await this.limits.count({ email });
    const outcome = await this.sessions.refresh(refreshToken);
    switch (outcome.kind) {
      case 'unknown':
        return failed([userError(UserErrorCode.INVALID, 'The refresh token is not valid: sign in again', ['refreshToken'])]);
      case 'ended':
        return failed([userError(UserErrorCode.EXPIRED, 'The session has ended: sign in again', ['refreshToken'])]);
      case 'reused':
        await recordAudit(this.db, { sellerId: outcome.sellerId, action: 'REFRESH_TOKEN_REUSED', subject: outcome.email, clientIp: caller.clientIp });
        return failed([userError(UserErrorCode.INVALID, 'The refresh token was already used: its session is revoked; sign in again', ['refreshToken'])]);
      case 'rotated': {
        const user = await this.db.user.findUniqueOrThrow({ where: { id: outcome.userId } });
        return { tokens: outcome.tokens, user: userView(user), userErrors: [] };
      }
    }
  }

  async signOut(refreshToken: string | null | undefined, caller: Caller): Promise<{ revokedSessions: number; userErrors: UserError[] }> {
    const userId = userIdOf(caller.viewer);
    if (refreshToken === null || refreshToken === undefined) return { revokedSessions: await this.sessions.revoke({ userId }), userErrors: [] };
    const session = refreshToken.length <= 100 ? await this.sessions.sessionOf(refreshToken) : null;
    if (!session || session.userId !== userId) return { revokedSessions: 0, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No session of yours has this refresh token', ['refreshToken'])] };
    return { revokedSessions: await this.sessions.revoke({ sessionId: session.id }), userErrors: [] };
  }

  async me(caller: Caller): Promise<User> {
    const user = await this.db.user.findUnique({ where: { id: userIdOf(caller.viewer) } });
    if (!user) throw unauthenticated('The user was removed');
    return userView(user);
  }

  async updateProfile(input: { name?: string | null }, caller: Caller): Promise<UserResult> {
    const userId = userIdOf(caller.viewer);
    const name = cleanName(input.name, ['input', 'name']);
    if (name.error) return userFailed([name.error]);
    const user = await this.db.user.update({ where: { id: userId }, data: { name: name.value } });
    return { user: userView(user), inviteToken: null, userErrors: [] };
  }

  /** Ends every other session of the user: whoever knew the old password is signed out. */
  async changePassword(input: { currentPassword: string; newPassword: string }, caller: Caller): Promise<UserResult> {
    const userId = userIdOf(caller.viewer);
    const user = await this.db.user.findUniqueOrThrow({ where: { id: userId } });
    await this.limits.count({ email: user.email, address: caller.clientIp });
    const current = input.currentPassword.length <= PASSWORD_MAX_LENGTH ? input.currentPassword : '';
    if (!(await passwordMatches(current, user.passwordHash))) return userFailed([userError(UserErrorCode.INVALID, 'The current password is wrong', ['input', 'currentPassword'])]);
    const weak = passwordProblem(input.newPassword, this.settings.passwordMinLength, [user.email.split('@')[0]!, user.name ?? '']);
    if (weak) return userFailed([userError(UserErrorCode.INVALID, weak, ['input', 'newPassword'])]);
    const updated = await this.db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(input.newPassword) } });
    await this.sessions.revoke({ userId, except: caller.viewer!.sessionId });
    await recordAudit(this.db, { sellerId: user.sellerId, action: 'PASSWORD_CHANGED', actor: `user:${user.email}`, clientIp: caller.clientIp });
    return { user: userView(updated), inviteToken: null, userErrors: [] };
  }

  auditLog(sellerId: string, first: number | null, after: string | null) {
    return listAudit(this.db, sellerId, first, after);
  }

  /** How the audit log names the caller. */
  async actor(viewer: Viewer): Promise<string> {
    const [user, key] = await Promise.all([
      viewer.userId ? this.db.user.findUnique({ where: { id: viewer.userId }, select: { email: true } }) : null,
      viewer.apiKeyId ? this.db.apiKey.findUnique({ where: { id: viewer.apiKeyId }, select: { name: true } }) : null,
    ]);
    return actorOf(viewer, user?.email, key?.name);
  }
}
