import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { AcceptInvite, addUser, Invite, PASSWORD, signUp, uniqueEmail, type SignedIn } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

const Invitations = graphql(`query AccountsInvitations { invitations { id email role createdAt expiresAt } }`);
const RevokeInvitation = graphql(`
  mutation AccountsRevokeInvitation($id: ID!) { revokeInvitation(id: $id) { revokedInvitationId userErrors { field message code } } }
`);
const AuditActions = graphql(`query AccountsInvitationAudit { auditLog(first: 5) { nodes { action subject } } }`);

let api: TestApi;
let owner: SignedIn;
beforeAll(async () => {
  api = await startTestApi();
  owner = await signUp(api, 'invitations');
});
afterAll(() => api?.stop());

async function invite(email: string, role: 'STAFF' | 'READ_ONLY' = 'STAFF'): Promise<string> {
  const res = await api.gql(Invite, { input: { email, role } }, { token: owner.accessToken });
  expect(res.data?.inviteUser.userErrors).toEqual([]);
  return res.data!.inviteUser.inviteToken!;
}

async function pending(token = owner.accessToken) {
  const res = await api.gql(Invitations, {}, { token });
  expect(res.errors).toBeUndefined();
  return res.data!.invitations;
}

describe('pending invitations', () => {
  it('lists the invitations not yet accepted nor expired, oldest first, with global ids', async () => {
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    const accepted = uniqueEmail('accepted');
    const expired = uniqueEmail('expired');
    await invite(first, 'READ_ONLY');
    await invite(second);
    const acceptedToken = await invite(accepted);
    await invite(expired);
    expect((await api.gql(AcceptInvite, { input: { token: acceptedToken, password: PASSWORD } }, { seller: null })).data?.acceptInvite.userErrors).toEqual([]);
    await api.infra.db.invite.updateMany({ where: { email: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const list = await pending();
    expect(list.map((i) => [i.email, i.role])).toEqual([
      [first, 'READ_ONLY'],
      [second, 'STAFF'],
    ]);
    expect(Math.abs(Date.parse(list[0]!.expiresAt) - Date.parse(list[0]!.createdAt) - 7 * 86_400_000)).toBeLessThan(60_000);
    expect(Buffer.from(list[0]!.id, 'base64url').toString()).toMatch(/^Invitation:[0-9a-f-]{36}$/);

    const stranger = await signUp(api, 'invitations-stranger');
    expect(await pending(stranger.accessToken)).toEqual([]);
  });

  it('withdraws an invitation: gone from the list, its link refused, audited; nothing else changes', async () => {
    const email = uniqueEmail('withdrawn');
    const token = await invite(email);
    const kept = uniqueEmail('kept');
    await invite(kept);
    const id = (await pending()).find((i) => i.email === email)!.id;

    const res = await api.gql(RevokeInvitation, { id }, { token: owner.accessToken });
    expect(res.data?.revokeInvitation).toEqual({ revokedInvitationId: id, userErrors: [] });
    expect((await pending()).map((i) => i.email)).toContain(kept);
    expect((await pending()).map((i) => i.email)).not.toContain(email);
    const join = await api.gql(AcceptInvite, { input: { token, password: PASSWORD } }, { seller: null });
    expect(join.data?.acceptInvite.userErrors[0]?.code).toBe('INVALID');
    expect(await api.infra.db.user.count({ where: { email } })).toBe(0);
    const audit = (await api.gql(AuditActions, {}, { token: owner.accessToken })).data!.auditLog.nodes;
    expect(audit[0]).toEqual({ action: 'INVITE_REVOKED', subject: email });

    const again = await api.gql(RevokeInvitation, { id }, { token: owner.accessToken });
    expect(again.data?.revokeInvitation.userErrors).toEqual([{ field: ['id'], message: 'No pending invitation has this id', code: 'NOT_FOUND' }]);
  });

  it("refuses another seller's, an accepted one, a malformed id and a non-owner, changing nothing", async () => {
    const email = uniqueEmail('target');
    const token = await invite(email);
    const id = (await pending()).find((i) => i.email === email)!.id;
    const stranger = await signUp(api, 'invitations-thief');
    const foreign = await api.gql(RevokeInvitation, { id }, { token: stranger.accessToken });
    expect(foreign.data?.revokeInvitation.userErrors[0]?.code).toBe('NOT_FOUND');

    const staff = await addUser(api, owner, 'STAFF');
    const forbidden = await api.gql(RevokeInvitation, { id }, { token: staff.accessToken });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(Invitations, {}, { token: staff.accessToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const malformed = await api.gql(RevokeInvitation, { id: 'not-an-id' }, { token: owner.accessToken });
    expect(malformed.data?.revokeInvitation.userErrors[0]?.code).toBe('NOT_FOUND');
    expect((await pending()).map((i) => i.email)).toContain(email);

    expect((await api.gql(AcceptInvite, { input: { token, password: PASSWORD } }, { seller: null })).data?.acceptInvite.userErrors).toEqual([]);
    const used = await api.gql(RevokeInvitation, { id }, { token: owner.accessToken });
    expect(used.data?.revokeInvitation.userErrors[0]?.code).toBe('NOT_FOUND');
    expect(await api.infra.db.user.count({ where: { email } })).toBe(1);
  });
});
