import { randomUUID } from 'node:crypto';
import type { AccountsConfig } from '../../config.js';
import { UserErrorCode, userError, type UserError } from '../../graphql/user-errors.js';
import { toGlobalId } from '../../graphql/global-id.js';
import type { Database } from '../../infra/prisma.js';
import { emailProblem, cleanName, normalizeEmail } from './account-input.js';
import { failed, userFailed, userView, uuidKeyOf, type AuthResult, type Caller, type UserResult } from './account-results.js';
import type { AccountsService } from './accounts.service.js';
import type { Invitation, User } from './accounts.types.js';
import { recordAudit } from './audit-log.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { Role } from './roles.js';
import { randomSecret, secretHash } from './secrets.js';

const INVITE_DAYS = 7;

/** The seller's users: invitations, roles and removal. */
export class TeamService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountsService,
    private readonly settings: AccountsConfig,
  ) {}

  users(sellerId: string): Promise<User[]> {
    return this.db.user.findMany({ where: { sellerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }).then((rows) => rows.map(userView));
  }

  /** The seller's users among the keys (uuids), for node(id:). */
  async usersByIds(sellerId: string, ids: readonly string[]): Promise<{ key: string; user: User }[]> {
    const rows = await this.db.user.findMany({ where: { sellerId, id: { in: [...ids] } } });
    return rows.map((row) => ({ key: row.id, user: userView(row) }));
  }

  async inviteUser(sellerId: string, input: { email: string; role: Role }, caller: Caller): Promise<UserResult> {
    const email = normalizeEmail(input.email);
    const problem = emailProblem(email, ['input', 'email']);
    if (problem) return userFailed([problem]);
    if (await this.db.user.findUnique({ where: { email } })) return userFailed([userError(UserErrorCode.TAKEN, 'An account with this email exists', ['input', 'email'])]);
    const token = randomSecret();
    await this.db.invite.create({
      data: { id: randomUUID(), sellerId, email, role: input.role, tokenHash: secretHash(token), expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000) },
    });
    await recordAudit(this.db, { sellerId, action: 'USER_INVITED', actor: await this.accounts.actor(caller.viewer!), subject: email, detail: { role: input.role }, clientIp: caller.clientIp });
    return { user: null, inviteToken: token, userErrors: [] };
  }

  /** Invitations neither accepted nor expired, oldest first. */
  async invitations(sellerId: string): Promise<Invitation[]> {
    const rows = await this.db.invite.findMany({ where: { sellerId, acceptedAt: null, expiresAt: { gt: new Date() } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((row) => ({ id: toGlobalId('Invitation', row.id), email: row.email, role: row.role as Role, createdAt: row.createdAt, expiresAt: row.expiresAt }));
  }

  /** Withdraws a pending invitation: its link stops working at once. */
  async revokeInvitation(sellerId: string, id: string, caller: Caller): Promise<{ revokedInvitationId: string | null; userErrors: UserError[] }> {
    const inviteId = uuidKeyOf('Invitation', id);
    const invite = inviteId ? await this.db.invite.findFirst({ where: { id: inviteId, sellerId, acceptedAt: null } }) : null;
    const { count } = invite ? await this.db.invite.deleteMany({ where: { id: invite.id, acceptedAt: null } }) : { count: 0 };
    if (!invite || count === 0) return { revokedInvitationId: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No pending invitation has this id', ['id'])] };
    await recordAudit(this.db, { sellerId, action: 'INVITE_REVOKED', actor: await this.accounts.actor(caller.viewer!), subject: invite.email, detail: { role: invite.role }, clientIp: caller.clientIp });
    return { revokedInvitationId: id, userErrors: [] };
  }

  async acceptInvite(input: { token: string; password: string; name?: string | null }, caller: Caller): Promise<AuthResult> {
    this.accounts.ensureAvailable();
    await this.accounts.limits.count({ address: caller.clientIp });
    const invite = input.token.length <= 100 ? await this.db.invite.findUnique({ where: { tokenHash: secretHash(input.token) } }) : null;
    if (!invite || invite.acceptedAt) return failed([userError(UserErrorCode.INVALID, 'The invitation is not valid or was already used', ['input', 'token'])]);
    if (invite.expiresAt.getTime() <= Date.now()) return failed([userError(UserErrorCode.EXPIRED, 'The invitation has expired: ask for a new one', ['input', 'token'])]);
    const name = cleanName(input.name, ['input', 'name']);
    if (name.error) return failed([name.error]);
    const weak = passwordProblem(input.password, this.settings.passwordMinLength, [invite.email.split('@')[0]!, name.value ?? '']);
    if (weak) return failed([userError(UserErrorCode.INVALID, weak, ['input', 'password'])]);
    const passwordHash = await hashPassword(input.password);
    const user = await this.db
      .$transaction(async (tx) => {
        const claimed = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
        if (claimed.count === 0) return 'used' as const;
        const created = await tx.user.create({
          data: { id: randomUUID(), sellerId: invite.sellerId, email: invite.email, name: name.value, role: invite.role, passwordHash, lastSignInAt: new Date() },
        });
        await recordAudit(tx, { sellerId: invite.sellerId, action: 'INVITE_ACCEPTED', actor: `user:${invite.email}`, detail: { role: invite.role }, clientIp: caller.clientIp });
        return created;
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'P2002') return 'taken' as const;
        throw error;
      });
    if (user === 'used') return failed([userError(UserErrorCode.INVALID, 'The invitation is not valid or was already used', ['input', 'token'])]);
    if (user === 'taken') return failed([userError(UserErrorCode.TAKEN, 'An account with this email exists: sign in instead', ['input', 'token'])]);
    return { tokens: await this.accounts.sessions.start(user), user: userView(user), userErrors: [] };
  }

  /** The last OWNER of a seller can be neither demoted nor removed (the row lock on the seller's owners serializes such changes). */
  async updateUserRole(sellerId: string, id: string, role: Role, caller: Caller): Promise<UserResult> {
    const userId = uuidKeyOf('User', id);
    const result = await this.db.$transaction(async (tx) => {
      const owners = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE seller_id = ${sellerId} AND role = 'OWNER' FOR UPDATE`;
      const user = userId ? await tx.user.findFirst({ where: { id: userId, sellerId } }) : null;
      if (!user) return userFailed([userError(UserErrorCode.NOT_FOUND, 'User not found', ['id'])]);
      if (user.role === Role.OWNER && role !== Role.OWNER && owners.length <= 1) {
        return userFailed([userError(UserErrorCode.INVALID, 'The last OWNER cannot be demoted: make another user OWNER first', ['role'])]);
      }
      const updated = await tx.user.update({ where: { id: user.id }, data: { role } });
      if (user.role !== role) {
        await recordAudit(tx, { sellerId, action: 'ROLE_CHANGED', actor: await this.accounts.actor(caller.viewer!), subject: user.email, detail: { from: user.role, to: role }, clientIp: caller.clientIp });
      }
      return { user: userView(updated), inviteToken: null, userErrors: [] };
    });
    this.accounts.credentials.forget();
    return result;
  }

  async removeUser(sellerId: string, id: string, caller: Caller): Promise<{ removedUserId: string | null; userErrors: UserError[] }> {
    const userId = uuidKeyOf('User', id);
    const result = await this.db.$transaction(async (tx) => {
      const owners = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE seller_id = ${sellerId} AND role = 'OWNER' FOR UPDATE`;
      const user = userId ? await tx.user.findFirst({ where: { id: userId, sellerId } }) : null;
      if (!user) return { removedUserId: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'User not found', ['id'])] };
      if (user.role === Role.OWNER && owners.length <= 1) {
        return { removedUserId: null, userErrors: [userError(UserErrorCode.INVALID, 'The last OWNER cannot be removed', ['id'])] };
      }
      // its sessions go with it (cascade): its tokens are refused from the next check on
      await tx.user.delete({ where: { id: user.id } });
      await recordAudit(tx, { sellerId, action: 'USER_REMOVED', actor: await this.accounts.actor(caller.viewer!), subject: user.email, clientIp: caller.clientIp });
      return { removedUserId: id, userErrors: [] };
    });
    this.accounts.credentials.forget();
    return result;
  }

}
