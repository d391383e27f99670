import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textKeyOf } from '../support/ids.js';
import { graphql } from '../generated/index.js';
import { Me, PASSWORD, Refresh, SignIn, SignUp, signUp, uniqueEmail } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

const SignOut = graphql(`mutation AccountsSignOut($refreshToken: String) { signOut(refreshToken: $refreshToken) { revokedSessions userErrors { code } } }`);
const ChangePassword = graphql(`
  mutation AccountsChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } userErrors { field message code } } }
`);
const UpdateProfile = graphql(`mutation AccountsUpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { user { name } userErrors { code } } }`);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ AUTH_RECHECK_MS: '300', SIGN_IN_PER_ADDRESS_PER_MINUTE: '1000', SIGN_IN_PER_EMAIL_PER_MINUTE: '1000' });
});
afterAll(() => api?.stop());

describe('sign-up', () => {
  it('creates a new seller with its OWNER, signed in, and never returns the password', async () => {
    const email = uniqueEmail('signup');
    const res = await api.gql(SignUp, { input: { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: 'Ann', sellerName: 'Ann Shop' } }, { seller: null });
    expect(res.data?.signUp.userErrors).toEqual([]);
    expect(res.data?.signUp.user).toMatchObject({ email, name: 'Ann', role: 'OWNER' });
    expect(JSON.stringify(res)).not.toContain(PASSWORD);
    const tokens = res.data!.signUp.tokens!;
    const lifetime = Date.parse(tokens.accessTokenExpiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);
    const me = await api.gql(Me, {}, { token: tokens.accessToken });
    expect(me.data?.me).toMatchObject({ email, role: 'OWNER' });
    expect(textKeyOf(me.data!.viewer.id)).toMatch(/^s-[0-9a-f]{20}$/);
    const row = await api.infra.db.user.findUniqueOrThrow({ where: { email } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a taken email, a short password and a common one, creating nothing', async () => {
    const owner = await signUp(api, 'taken');
    const before = await api.infra.db.user.count();
    const cases: [string, string, string][] = [
      [owner.email, PASSWORD, 'TAKEN'],
      [uniqueEmail('short'), 'abc12', 'INVALID'],
      [uniqueEmail('common'), 'password123', 'INVALID'],
      [uniqueEmail('common2'), 'qwertyuiop!!', 'INVALID'],
      ['not-an-email', PASSWORD, 'INVALID'],
    ];
    for (const [email, password, code] of cases) {
      const res = await api.gql(SignUp, { input: { email, password, sellerName: 'X' } }, { seller: null });
      expect(res.data?.signUp.tokens, email).toBeNull();
      expect(res.data?.signUp.userErrors[0]?.code, `${email} ${password}`).toBe(code);
    }
    expect(await api.infra.db.user.count()).toBe(before);
  });
});

describe('sign-in', () => {
  it('signs in with the right password, answers a wrong password and an unknown email alike', async () => {
    const owner = await signUp(api, 'signin');
    const ok = await api.gql(SignIn, { input: { email: owner.email, password: PASSWORD } }, { seller: null });
    expect(ok.data?.signIn.user).toMatchObject({ email: owner.email, role: 'OWNER' });
    const wrong = await api.gql(SignIn, { input: { email: owner.email, password: 'not the password at all' } }, { seller: null });
    const unknown = await api.gql(SignIn, { input: { email: uniqueEmail('nobody'), password: 'not the password at all' } }, { seller: null });
    expect(wrong.data?.signIn).toEqual(unknown.data?.signIn);
    expect(wrong.data?.signIn).toEqual({ tokens: null, user: null, userErrors: [{ field: ['input'], message: 'The email or the password is wrong', code: 'INVALID' }] });
  });
});

describe('refresh tokens', () => {
  it('rotates on every use; a reused (stolen) refresh token revokes the whole session', async () => {
    const owner = await signUp(api, 'refresh');
    const first = await api.gql(Refresh, { refreshToken: owner.refreshToken }, { seller: null });
    expect(first.data?.refreshSession.userErrors).toEqual([]);
    const second = first.data!.refreshSession.tokens!;
    expect(second.refreshToken).not.toBe(owner.refreshToken);
    const third = (await api.gql(Refresh, { refreshToken: second.refreshToken }, { seller: null })).data!.refreshSession.tokens!;
    expect((await api.gql(Me, {}, { token: third.accessToken })).data?.me.email).toBe(owner.email);

    // the thief replays the first token: the family (every token of this session) is revoked
    const replay = await api.gql(Refresh, { refreshToken: owner.refreshToken }, { seller: null });
    expect(replay.data?.refreshSession.tokens).toBeNull();
    expect(replay.data?.refreshSession.userErrors[0]?.message).toMatch(/already used/);
    const latest = await api.gql(Refresh, { refreshToken: third.refreshToken }, { seller: null });
    expect(latest.data?.refreshSession.tokens).toBeNull();
    expect(latest.data?.refreshSession.userErrors[0]?.code).toBe('EXPIRED');
    const refused = await api.gql(Me, {}, { token: third.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.message).toMatch(/session has ended/);
  });

  it('lets two tabs refresh with the same token at once; a later replay still revokes the session', async () => {
    const owner = await signUp(api, 'two-tabs');
    const [a, b] = await Promise.all([0, 1].map(() => api.gql(Refresh, { refreshToken: owner.refreshToken }, { seller: null })));
    expect(a!.data?.refreshSession.userErrors).toEqual([]);
    expect(b!.data?.refreshSession.userErrors).toEqual([]);
    const tabA = a!.data!.refreshSession.tokens!;
    const tabB = b!.data!.refreshSession.tokens!;
    expect(tabA.refreshToken).not.toBe(tabB.refreshToken);
    for (const tab of [tabA, tabB]) expect((await api.gql(Me, {}, { token: tab.accessToken })).data?.me.email).toBe(owner.email);

    // tab A moves on; the first token is now a copy, however soon it comes back
    const nextA = (await api.gql(Refresh, { refreshToken: tabA.refreshToken }, { seller: null })).data!.refreshSession.tokens!;
    const replay = await api.gql(Refresh, { refreshToken: owner.refreshToken }, { seller: null });
    expect(replay.data?.refreshSession.userErrors[0]?.message).toMatch(/already used/);
    expect((await api.gql(Refresh, { refreshToken: tabB.refreshToken }, { seller: null })).data?.refreshSession.userErrors[0]?.code).toBe('EXPIRED');
    expect((await api.gql(Me, {}, { token: nextA.accessToken })).status).toBe(401);
  });

  it('refuses an unknown refresh token', async () => {
    const res = await api.gql(Refresh, { refreshToken: 'x'.repeat(43) }, { seller: null });
    expect(res.data?.refreshSession.userErrors[0]?.code).toBe('INVALID');
  });
});

describe('sign-out and password change', () => {
  it('signOut ends the one session of the refresh token, or every session', async () => {
    const owner = await signUp(api, 'signout');
    const other = (await api.gql(SignIn, { input: { email: owner.email, password: PASSWORD } }, { seller: null })).data!.signIn.tokens!;
    const one = await api.gql(SignOut, { refreshToken: other.refreshToken }, { token: owner.accessToken });
    expect(one.data?.signOut).toEqual({ revokedSessions: 1, userErrors: [] });
    expect((await api.gql(Me, {}, { token: other.accessToken })).status).toBe(401);
    expect((await api.gql(Me, {}, { token: owner.accessToken })).data?.me.email).toBe(owner.email);
    const all = await api.gql(SignOut, {}, { token: owner.accessToken });
    expect(all.data?.signOut.revokedSessions).toBe(1);
    expect((await api.gql(Me, {}, { token: owner.accessToken })).status).toBe(401);
  });

  it('changePassword keeps the current session, revokes the others, and the new password signs in', async () => {
    const owner = await signUp(api, 'password');
    const elsewhere = (await api.gql(SignIn, { input: { email: owner.email, password: PASSWORD } }, { seller: null })).data!.signIn.tokens!;
    const wrong = await api.gql(ChangePassword, { input: { currentPassword: 'not it at all', newPassword: 'a brand new secret phrase' } }, { token: owner.accessToken });
    expect(wrong.data?.changePassword.userErrors[0]?.field).toEqual(['input', 'currentPassword']);
    const changed = await api.gql(ChangePassword, { input: { currentPassword: PASSWORD, newPassword: 'a brand new secret phrase' } }, { token: owner.accessToken });
    expect(changed.data?.changePassword.userErrors).toEqual([]);
    expect((await api.gql(Me, {}, { token: owner.accessToken })).data?.me.email).toBe(owner.email);
    expect((await api.gql(Me, {}, { token: elsewhere.accessToken })).status).toBe(401);
    expect((await api.gql(Refresh, { refreshToken: elsewhere.refreshToken }, { seller: null })).data?.refreshSession.tokens).toBeNull();
    const old = await api.gql(SignIn, { input: { email: owner.email, password: PASSWORD } }, { seller: null });
    expect(old.data?.signIn.tokens).toBeNull();
    const fresh = await api.gql(SignIn, { input: { email: owner.email, password: 'a brand new secret phrase' } }, { seller: null });
    expect(fresh.data?.signIn.userErrors).toEqual([]);
  });

  it('updateProfile changes the name; a seller-only token has no profile', async () => {
    const owner = await signUp(api, 'profile');
    const res = await api.gql(UpdateProfile, { input: { name: '  Zed  ' } }, { token: owner.accessToken });
    expect(res.data?.updateProfile).toEqual({ user: { name: 'Zed' }, userErrors: [] });
    const legacy = await api.gql(Me, {}, { seller: 'legacy-seller' });
    expect(legacy.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('retention of ended sessions', () => {
  it('deletes sessions a day after they ended, with their refresh tokens; live sessions keep their spent tokens', async () => {
    const { purgeExpired } = await import('../../src/modules/retention/retention.jobs.js');
    const { LocalBlobStore } = await import('../../src/infra/blob-store.js');
    const owner = await signUp(api, 'retention');
    const live = (await api.gql(Refresh, { refreshToken: owner.refreshToken }, { seller: null })).data!.refreshSession.tokens!;
    const ended = (await api.gql(SignIn, { input: { email: owner.email, password: PASSWORD } }, { seller: null })).data!.signIn.tokens!;
    await api.gql(SignOut, { refreshToken: ended.refreshToken }, { token: live.accessToken });
    const user = await api.infra.db.user.findUniqueOrThrow({ where: { email: owner.email } });
    const purge = (now: Date) => purgeExpired({ db: api.infra.db, blobs: new LocalBlobStore(api.infra.config.jobs.blobDir) }, api.infra.config.retention, now);

    await purge(new Date());
    expect(await api.infra.db.session.count({ where: { userId: user.id } })).toBe(2); // ended less than a day ago: kept
    const result = await purge(new Date(Date.now() + 25 * 3_600_000));
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    const left = await api.infra.db.session.findMany({ where: { userId: user.id }, include: { refreshTokens: true } });
    expect(left).toHaveLength(1);
    expect(left[0]!.revokedAt).toBeNull();
    expect(left[0]!.refreshTokens).toHaveLength(2); // the spent one still recognizes a replay
    // spent a minute ago: past the grace two tabs refreshing at once get
    await api.infra.db.refreshToken.updateMany({ where: { sessionId: left[0]!.id, usedAt: { not: null } }, data: { usedAt: new Date(Date.now() - 60_000) } });
    const replay = await api.gql(Refresh, { refreshToken: owner.refreshToken }, { seller: null });
    expect(replay.data?.refreshSession.userErrors[0]?.message).toMatch(/already used/);
  });
});
