import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionOf } from '../../graphql/pagination.js';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { UserError } from '../../graphql/user-errors.js';
import { Node } from '../../graphql/node.js';
import { Role } from './roles.js';

@ObjectType({ description: "A person who signs in with email and password and works for the seller with a role.", implements: Node })
export class User {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Role) role!: Role;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) lastSignInAt!: Date | null;
}

@ObjectType({ description: 'Send accessToken as "Authorization: Bearer <accessToken>"; trade refreshToken for new tokens with refreshSession before the access token expires.' })
export class AuthTokens {
  @Field(() => String) accessToken!: string;
  @Field(() => DateTimeScalar) accessTokenExpiresAt!: Date;
  @Field(() => String, { description: 'Good for one refreshSession: a refresh token used twice ends its session.' }) refreshToken!: string;
  @Field(() => DateTimeScalar) refreshTokenExpiresAt!: Date;
}

@ObjectType()
export class AuthPayload {
  @Field(() => AuthTokens, { nullable: true }) tokens!: AuthTokens | null;
  @Field(() => User, { nullable: true }) user!: User | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class SignOutPayload {
  @Field(() => Int, { description: 'How many sessions were ended.' }) revokedSessions!: number;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class UserPayload {
  @Field(() => User, { nullable: true }) user!: User | null;
  @Field(() => String, { nullable: true, description: 'inviteUser only: the one-time token the invited person gives to acceptInvite (shown once).' })
  inviteToken!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class RemoveUserPayload {
  @Field(() => ID, { nullable: true }) removedUserId!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'An invitation not yet accepted: its link works until expiresAt.' })
export class Invitation {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => Role) role!: Role;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) expiresAt!: Date;
}

@ObjectType()
export class RevokeInvitationPayload {
  @Field(() => ID, { nullable: true }) revokedInvitationId!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'A server-to-server credential: "Authorization: Bearer amk_<prefix>_<secret>".', implements: Node })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String, { description: 'The part of the key after amk_ that names it (not secret).' }) prefix!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Updated at most once a minute.' }) lastUsedAt!: Date | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true }) apiKey!: ApiKey | null;
  @Field(() => String, { nullable: true, description: 'The whole key, amk_<prefix>_<secret>: shown only here, stored only as a hash.' }) key!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class RevokeApiKeyPayload {
  @Field(() => ID, { nullable: true }) revokedApiKeyId!: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'A sign-in, failed sign-in, role change, user or API key change of the seller.' })
export class AuditEntry {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'SIGN_UP, SIGN_IN, SIGN_IN_FAILED, REFRESH_TOKEN_REUSED, PASSWORD_CHANGED, USER_INVITED, INVITE_ACCEPTED, INVITE_REVOKED, ROLE_CHANGED, USER_REMOVED, API_KEY_CREATED, API_KEY_REVOKED.' })
  action!: string;
  @Field(() => String, { nullable: true, description: 'Who acted: user:<email>, apiKey:<name>, or token (a token naming the seller only).' }) actor!: string | null;
  @Field(() => String, { nullable: true, description: 'What it was done to: an email or an API key name.' }) subject!: string | null;
  @Field(() => String, { nullable: true, description: 'Details as JSON, e.g. {"from":"STAFF","to":"OWNER"}.' }) detail!: string | null;
  @Field(() => String, { nullable: true }) clientIp!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const AuditEntryConnection = connectionOf('AuditEntry', AuditEntry);

@InputType()
export class SignUpInput {
  @Field(() => String) email!: string;
  @Field(() => String, { description: 'At least PASSWORD_MIN_LENGTH (10) characters, not a common password.' }) password!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { description: 'The new seller\'s name.' }) sellerName!: string;
}

@InputType()
export class SignInInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: 'Null clears it.' }) name?: string | null;
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String) currentPassword!: string;
  @Field(() => String) newPassword!: string;
}

@InputType()
export class InviteUserInput {
  @Field(() => String) email!: string;
  @Field(() => Role) role!: Role;
}

@InputType()
export class AcceptInviteInput {
  @Field(() => String, { description: 'The inviteToken from inviteUser.' }) token!: string;
  @Field(() => String) password!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: '1 to 100 characters, e.g. the backend that uses it.' }) name!: string;
  @Field(() => Role) role!: Role;
}
