import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { sellerOf, type Context } from '../../graphql/context.js';
import {
  AcceptInviteInput,
  ApiKey,
  AuditEntryConnection,
  AuthPayload,
  ChangePasswordInput,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  Invitation,
  InviteUserInput,
  RemoveUserPayload,
  RevokeApiKeyPayload,
  RevokeInvitationPayload,
  SignInInput,
  SignOutPayload,
  SignUpInput,
  UpdateProfileInput,
  User,
  UserPayload,
} from './accounts.types.js';
import { Role } from './roles.js';

const caller = (ctx: Context) => ({ viewer: ctx.viewer, clientIp: ctx.clientIp });

/** Roles are checked before these run, in one place: src/graphql/access-policy.ts. */
@Resolver()
export class AccountsResolver {
  @Query(() => User, { description: 'The signed-in user (needs an access token from signIn).' })
  me(@Ctx() ctx: Context) {
    return ctx.services.accounts.me(caller(ctx));
  }

  @Query(() => [User], { description: "The seller's users." })
  users(@Ctx() ctx: Context) {
    return ctx.services.team.users(sellerOf(ctx));
  }

  @Query(() => [ApiKey], { description: "The seller's API keys that are not revoked." })
  apiKeys(@Ctx() ctx: Context) {
    return ctx.services.apiKeys.apiKeys(sellerOf(ctx));
  }

  @Query(() => [Invitation], { description: "The seller's invitations not yet accepted nor expired, oldest first." })
  invitations(@Ctx() ctx: Context) {
    return ctx.services.team.invitations(sellerOf(ctx));
  }

  @Query(() => AuditEntryConnection, { description: "The seller's sign-ins, failed sign-ins, role, user and API key changes, newest first." })
  auditLog(
    @Arg('first', () => Int, { nullable: true, description: 'Default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.accounts.auditLog(sellerOf(ctx), first, after);
  }

  @Mutation(() => AuthPayload, { description: 'Create a seller and its first user, an OWNER, and sign in.' })
  signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: Context) {
    return ctx.services.accounts.signUp(input, caller(ctx));
  }

  @Mutation(() => AuthPayload, { description: 'Sign in with email and password: an access token (15 minutes) and a refresh token.' })
  signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: Context) {
    return ctx.services.accounts.signIn(input, caller(ctx));
  }

  @Mutation(() => AuthPayload, { description: 'Trade a refresh token for new tokens; the old refresh token is spent.' })
  refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: Context) {
    return ctx.services.accounts.refreshSession(refreshToken, caller(ctx));
  }

  @Mutation(() => SignOutPayload, { description: "End the session of the refresh token, or without one every session of the user." })
  signOut(@Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null, @Ctx() ctx: Context) {
    return ctx.services.accounts.signOut(refreshToken, caller(ctx));
  }

  @Mutation(() => UserPayload, { description: "Change the signed-in user's name." })
  updateProfile(@Arg('input', () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: Context) {
    return ctx.services.accounts.updateProfile(input, caller(ctx));
  }

  @Mutation(() => UserPayload, { description: "Change the signed-in user's password; the user's other sessions end." })
  changePassword(@Arg('input', () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: Context) {
    return ctx.services.accounts.changePassword(input, caller(ctx));
  }

  @Mutation(() => UserPayload, { description: 'Invite someone to the seller with a role: returns a one-time inviteToken (7 days) for acceptInvite.' })
  inviteUser(@Arg('input', () => InviteUserInput) input: InviteUserInput, @Ctx() ctx: Context) {
    return ctx.services.team.inviteUser(sellerOf(ctx), input, caller(ctx));
  }

  @Mutation(() => RevokeInvitationPayload, { description: 'Withdraw a pending invitation: its link stops working at once.' })
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.team.revokeInvitation(sellerOf(ctx), id, caller(ctx));
  }

  @Mutation(() => AuthPayload, { description: 'Join a seller with an invitation token and a password, and sign in.' })
  acceptInvite(@Arg('input', () => AcceptInviteInput) input: AcceptInviteInput, @Ctx() ctx: Context) {
    return ctx.services.team.acceptInvite(input, caller(ctx));
  }

  @Mutation(() => UserPayload, { description: "Change a user's role; the last OWNER cannot be demoted." })
  updateUserRole(@Arg('id', () => ID) id: string, @Arg('role', () => Role) role: Role, @Ctx() ctx: Context) {
    return ctx.services.team.updateUserRole(sellerOf(ctx), id, role, caller(ctx));
  }

  @Mutation(() => RemoveUserPayload, { description: 'Remove a user of the seller; their sessions end at once.' })
  removeUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.team.removeUser(sellerOf(ctx), id, caller(ctx));
  }

  @Mutation(() => CreateApiKeyPayload, { description: 'Create an API key with a role; the key is in this answer only.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.createApiKey(sellerOf(ctx), input, caller(ctx));
  }

  @Mutation(() => RevokeApiKeyPayload, { description: 'Revoke an API key: requests with it are refused within seconds (AUTH_RECHECK_MS).' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.revokeApiKey(sellerOf(ctx), id, caller(ctx));
  }
}
