import { graphql } from '../generated';

export const SignInMutation = graphql(`
  mutation DashboardSignIn($input: SignInInput!) {
    signIn(input: $input) { tokens { accessToken accessTokenExpiresAt refreshToken } userErrors { field message } }
  }
`);

export const SignUpMutation = graphql(`
  mutation DashboardSignUp($input: SignUpInput!) {
    signUp(input: $input) { tokens { accessToken accessTokenExpiresAt refreshToken } userErrors { field message } }
  }
`);

export const AcceptInviteMutation = graphql(`
  mutation DashboardAcceptInvite($input: AcceptInviteInput!) {
    acceptInvite(input: $input) { tokens { accessToken accessTokenExpiresAt refreshToken } userErrors { field message } }
  }
`);

export const RefreshMutation = graphql(`
  mutation DashboardRefresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { tokens { accessToken accessTokenExpiresAt refreshToken } userErrors { message } }
  }
`);

export const SignOutMutation = graphql(`
  mutation DashboardSignOut($refreshToken: String) { signOut(refreshToken: $refreshToken) { revokedSessions } }
`);

export const MeQuery = graphql(`query DashboardMe { me { id email name role } }`);

export const TeamQuery = graphql(`
  query DashboardTeam {
    users { id email name role lastSignInAt }
    apiKeys { id name role prefix createdAt lastUsedAt }
    invitations { id email role expiresAt }
  }
`);

export const InviteMutation = graphql(`
  mutation DashboardInvite($input: InviteUserInput!) { inviteUser(input: $input) { inviteToken userErrors { message } } }
`);

export const RevokeInvitationMutation = graphql(`
  mutation DashboardRevokeInvitation($id: ID!) { revokeInvitation(id: $id) { revokedInvitationId userErrors { message } } }
`);

export const UpdateRoleMutation = graphql(`
  mutation DashboardUpdateRole($id: ID!, $role: Role!) { updateUserRole(id: $id, role: $role) { user { id role } userErrors { message } } }
`);

export const RemoveUserMutation = graphql(`
  mutation DashboardRemoveUser($id: ID!) { removeUser(id: $id) { removedUserId userErrors { message } } }
`);

export const CreateApiKeyMutation = graphql(`
  mutation DashboardCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key userErrors { message } } }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation DashboardRevokeApiKey($id: ID!) { revokeApiKey(id: $id) { revokedApiKeyId userErrors { message } } }
`);
