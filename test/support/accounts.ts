import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { graphql } from '../generated/index.js';
import type { TestApi } from './api.js';

export const SignUp = graphql(`
  mutation AccountsSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      tokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
      user { id email name role createdAt lastSignInAt }
      userErrors { field message code }
    }
  }
`);

export const SignIn = graphql(`
  mutation AccountsSignIn($input: SignInInput!) {
    signIn(input: $input) {
      tokens { accessToken refreshToken }
      user { id email role }
      userErrors { field message code }
    }
  }
`);

export const Refresh = graphql(`
  mutation AccountsRefresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      tokens { accessToken refreshToken }
      user { id email }
      userErrors { field message code }
    }
  }
`);

export const Me = graphql(`query AccountsMe { me { id email name role } viewer { id } }`);

export const Invite = graphql(`
  mutation AccountsInvite($input: InviteUserInput!) {
    inviteUser(input: $input) { inviteToken userErrors { field message code } }
  }
`);

export const AcceptInvite = graphql(`
  mutation AccountsAcceptInvite($input: AcceptInviteInput!) {
    acceptInvite(input: $input) {
      tokens { accessToken refreshToken }
      user { id email role }
      userErrors { field message code }
    }
  }
`);

export const CreateApiKey = graphql(`
  mutation AccountsCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id name role prefix createdAt lastUsedAt } userErrors { field message code } }
  }
`);

export const RevokeApiKey = graphql(`
  mutation AccountsRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { revokedApiKeyId userErrors { field message code } }
  }
`);

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(tag: string): string {
  return `${tag}-${randomBytes(5).toString('hex')}@example.com`;
}

export interface SignedIn {
  email: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** The seller id, as `viewer { id }` reports it. */
  sellerId: string;
}

/** Signs up a new seller; its OWNER's tokens. */
export async function signUp(api: TestApi, tag = 'owner'): Promise<SignedIn> {
  const email = uniqueEmail(tag);
  const res = await api.gql(SignUp, { input: { email, password: PASSWORD, name: 'Olive Owner', sellerName: `Shop ${tag}` } }, { seller: null });
  expect(res.errors).toBeUndefined();
  expect(res.data?.signUp.userErrors).toEqual([]);
  const { tokens, user } = res.data!.signUp;
  const me = await api.gql(Me, {}, { token: tokens!.accessToken });
  return { email, userId: user!.id, accessToken: tokens!.accessToken, refreshToken: tokens!.refreshToken, sellerId: me.data!.viewer.id };
}

/** Invites a user with the role into the owner's seller and accepts for them. */
export async function addUser(api: TestApi, owner: SignedIn, role: 'OWNER' | 'STAFF' | 'READ_ONLY'): Promise<SignedIn> {
  const email = uniqueEmail(role.toLowerCase());
  const invited = await api.gql(Invite, { input: { email, role } }, { token: owner.accessToken });
  expect(invited.data?.inviteUser.userErrors).toEqual([]);
  const accepted = await api.gql(AcceptInvite, { input: { token: invited.data!.inviteUser.inviteToken!, password: PASSWORD } }, { seller: null });
  expect(accepted.data?.acceptInvite.userErrors).toEqual([]);
  const { tokens, user } = accepted.data!.acceptInvite;
  return { email, userId: user!.id, accessToken: tokens!.accessToken, refreshToken: tokens!.refreshToken, sellerId: owner.sellerId };
}
