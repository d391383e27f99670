import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { addUser, CreateApiKey, Invite, PASSWORD, RevokeApiKey, SignIn, signUp, uniqueEmail, type SignedIn } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

const Users = graphql(`query AccountsUsers { users { id email role } }`);
const ApiKeys = graphql(`query AccountsIsolationKeys { apiKeys { id name } }`);
const Audit = graphql(`
  query AccountsAudit($first: Int, $after: String) {
    auditLog(first: $first, after: $after) {
      nodes { id action actor subject detail createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
const UpdateRole = graphql(`mutation AccountsIsolationRole($id: ID!, $role: Role!) { updateUserRole(id: $id, role: $role) { user { role } userErrors { code } } }`);
const RemoveUser = graphql(`mutation AccountsIsolationRemove($id: ID!) { removeUser(id: $id) { removedUserId userErrors { code } } }`);
const Products = graphql(`query AccountsIsolationProducts { products(first: 10) { nodes { id name } } }`);
const CreateProduct = graphql(`mutation AccountsIsolationCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }`);

let api: TestApi;
let a: SignedIn;
let b: SignedIn;
let bStaff: SignedIn;
let bKey: { id: string; key: string };
beforeAll(async () => {
  api = await startTestApi();
  a = await signUp(api, 'seller-a');
  b = await signUp(api, 'seller-b');
  bStaff = await addUser(api, b, 'STAFF');
  const created = await api.gql(CreateApiKey, { input: { name: 'b backend', role: 'STAFF' } }, { token: b.accessToken });
  bKey = { id: created.data!.createApiKey.apiKey!.id, key: created.data!.createApiKey.key! };
});
afterAll(() => api?.stop());

describe('isolation between sellers', () => {
  it("lists only the seller's own users, API keys and audit entries", async () => {
    const aUsers = (await api.gql(Users, {}, { token: a.accessToken })).data!.users;
    expect(aUsers.map((u) => u.email)).toEqual([a.email]);
    const bUsers = (await api.gql(Users, {}, { token: b.accessToken })).data!.users;
    expect(bUsers.map((u) => u.email).sort()).toEqual([b.email, bStaff.email].sort());
    expect((await api.gql(ApiKeys, {}, { token: a.accessToken })).data!.apiKeys).toEqual([]);
    expect((await api.gql(ApiKeys, {}, { token: b.accessToken })).data!.apiKeys).toEqual([{ id: bKey.id, name: 'b backend' }]);
    const aAudit = (await api.gql(Audit, {}, { token: a.accessToken })).data!.auditLog.nodes;
    expect(aAudit.map((e) => e.action)).toEqual(['SIGN_UP']);
    expect(JSON.stringify(aAudit)).not.toContain(b.email);
  });

  it("cannot change, remove or revoke another seller's users and keys: NOT_FOUND, nothing changed", async () => {
    const role = await api.gql(UpdateRole, { id: bStaff.userId, role: 'OWNER' }, { token: a.accessToken });
    expect(role.data?.updateUserRole).toEqual({ user: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const removed = await api.gql(RemoveUser, { id: bStaff.userId }, { token: a.accessToken });
    expect(removed.data?.removeUser).toEqual({ removedUserId: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const revoked = await api.gql(RevokeApiKey, { id: bKey.id }, { token: a.accessToken });
    expect(revoked.data?.revokeApiKey.userErrors[0]?.code).toBe('NOT_FOUND');
    const bUsers = (await api.gql(Users, {}, { token: b.accessToken })).data!.users;
    expect(bUsers.find((u) => u.email === bStaff.email)?.role).toBe('STAFF');
    expect((await api.gql(ApiKeys, {}, { token: b.accessToken })).data!.apiKeys).toHaveLength(1);
  });

  it("an API key and an invited user work on their own seller's data only", async () => {
    await api.gql(CreateProduct, { input: { name: 'A lamp', price: '1.00', category: 'x' } }, { token: a.accessToken });
    await api.gql(CreateProduct, { input: { name: 'B lamp', price: '1.00', category: 'x' } }, { token: bKey.key });
    expect((await api.gql(Products, {}, { token: bKey.key })).data!.products.nodes.map((p) => p.name)).toEqual(['B lamp']);
    expect((await api.gql(Products, {}, { token: bStaff.accessToken })).data!.products.nodes.map((p) => p.name)).toEqual(['B lamp']);
    expect((await api.gql(Products, {}, { token: a.accessToken })).data!.products.nodes.map((p) => p.name)).toEqual(['A lamp']);
  });

  it('refuses malformed ids with NOT_FOUND', async () => {
    for (const id of ['x', '1', bKey.id]) {
      const res = await api.gql(RemoveUser, { id }, { token: b.accessToken });
      expect(res.data?.removeUser.userErrors[0]?.code, id).toBe('NOT_FOUND');
    }
  });
});

describe('audit log', () => {
  it('records sign-ins, failed sign-ins, invitations, role changes and key creation and revocation; OWNER only; pages', async () => {
    const owner = await signUp(api, 'audited');
    await api.gql(SignIn, { input: { email: owner.email, password: 'wrong password for audit' } }, { seller: null });
    expect((await api.gql(SignIn, { input: { email: owner.email, password: PASSWORD } }, { seller: null })).data?.signIn.userErrors).toEqual([]);
    const staff = await addUser(api, owner, 'STAFF');
    await api.gql(UpdateRole, { id: staff.userId, role: 'READ_ONLY' }, { token: owner.accessToken });
    const key = await api.gql(CreateApiKey, { input: { name: 'audited key', role: 'READ_ONLY' } }, { token: owner.accessToken });
    await api.gql(RevokeApiKey, { id: key.data!.createApiKey.apiKey!.id }, { token: owner.accessToken });
    await api.gql(Invite, { input: { email: uniqueEmail('pending'), role: 'READ_ONLY' } }, { token: owner.accessToken });

    const all = (await api.gql(Audit, { first: 100 }, { token: owner.accessToken })).data!.auditLog;
    expect(all.nodes.map((e) => e.action).reverse()).toEqual([
      'SIGN_UP',
      'SIGN_IN_FAILED',
      'SIGN_IN',
      'USER_INVITED',
      'INVITE_ACCEPTED',
      'ROLE_CHANGED',
      'API_KEY_CREATED',
      'API_KEY_REVOKED',
      'USER_INVITED',
    ]);
    const roleChange = all.nodes.find((e) => e.action === 'ROLE_CHANGED')!;
    expect(roleChange).toMatchObject({ actor: `user:${owner.email}`, subject: staff.email });
    expect(JSON.parse(roleChange.detail!)).toEqual({ from: 'STAFF', to: 'READ_ONLY' });
    expect(all.nodes.find((e) => e.action === 'SIGN_IN_FAILED')?.actor).toBe(`user:${owner.email}`);

    const first = (await api.gql(Audit, { first: 3 }, { token: owner.accessToken })).data!.auditLog;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await api.gql(Audit, { first: 100, after: first.pageInfo.endCursor }, { token: owner.accessToken })).data!.auditLog;
    expect([...first.nodes, ...next.nodes].map((e) => e.id)).toEqual(all.nodes.map((e) => e.id));

    const refused = await api.gql(Audit, {}, { token: staff.accessToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain('needs the OWNER role');
    const badCursor = await api.gql(Audit, { after: 'nope' }, { token: owner.accessToken });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
