import { textKeyOf, toGlobalId, type NodeType } from '../../graphql/global-id.js';
import type { UserError } from '../../graphql/user-errors.js';
import type { Viewer } from '../../graphql/auth.js';
import type { AuthTokens, User } from './accounts.types.js';
import type { Role } from './roles.js';

export interface Caller {
  viewer: Viewer | null;
  clientIp?: string;
}
export type AuthResult = { tokens: AuthTokens | null; user: User | null; userErrors: UserError[] };
export type UserResult = { user: User | null; inviteToken: string | null; userErrors: UserError[] };

export type UserRow = { id: string; sellerId: string; email: string; name: string | null; role: string; createdAt: Date; lastSignInAt: Date | null };

export function userView(row: UserRow): User {
  return { id: toGlobalId('User', row.id), email: row.email, name: row.name, role: row.role as Role, createdAt: row.createdAt, lastSignInAt: row.lastSignInAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The uuid inside a global id of the type, or null. */
export function uuidKeyOf(type: NodeType, id: string): string | null {
  const key = textKeyOf(type, id);
  return key !== null && UUID.test(key) ? key : null;
}

export const failed = (userErrors: UserError[]): AuthResult => ({ tokens: null, user: null, userErrors });
export const userFailed = (userErrors: UserError[]): UserResult => ({ user: null, inviteToken: null, userErrors });

