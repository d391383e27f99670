import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, CreateApiKey, RevokeApiKey, signUp, type SignedIn } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

// Users and API keys are Nodes readable by whoever may list them (users, apiKeys: OWNER only).
const NodeQuery = `
  query AccountNode($id: ID!) {
    node(id: $id) { __typename id ... on User { email role } ... on ApiKey { name prefix } }
  }
`;
const NodesQuery = `query AccountNodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

type NodeResult = { node: { __typename: string; id: string; email?: string; role?: string; name?: string; prefix?: string } | null };

let api: TestApi;
let owner: SignedIn;
let staff: SignedIn;
let keyId: string;

beforeAll(async () => {
  api = await startTestApi();
  owner = await signUp(api, 'node-owner');
  staff = await addUser(api, owner, 'STAFF');
  const created = await api.gql(CreateApiKey, { input: { name: 'warehouse sync', role: 'STAFF' } }, { token: owner.accessToken });
  expect(created.data?.createApiKey.userErrors).toEqual([]);
  keyId = created.data!.createApiKey.apiKey!.id;
});
afterAll(async () => {
  await api?.stop();
});

const read = (id: string, token: string) => api.gql<NodeResult, { id: string }>(NodeQuery, { id }, { token });

describe('users and API keys through node(id:)', () => {
  it('gives the owner its users and keys by the ids the API handed out', async () => {
    const user = await read(staff.userId, owner.accessToken);
    expect(user.errors).toBeUndefined();
    expect(user.data!.node).toEqual({ __typename: 'User', id: staff.userId, email: staff.email, role: 'STAFF' });

    const key = await read(keyId, owner.accessToken);
    expect(key.errors).toBeUndefined();
    expect(key.data!.node).toMatchObject({ __typename: 'ApiKey', id: keyId, name: 'warehouse sync' });

    const both = await api.gql<{ nodes: ({ __typename: string; id: string } | null)[] }, { ids: string[] }>(NodesQuery, { ids: [keyId, owner.userId] }, { token: owner.accessToken });
    expect(both.data!.nodes).toEqual([
      { __typename: 'ApiKey', id: keyId },
      { __typename: 'User', id: owner.userId },
    ]);
  });

  it('refuses a non-owner as the listing queries do, even for their own user', async () => {
    for (const id of [staff.userId, keyId]) {
      const res = await read(id, staff.accessToken);
      expect(res.data?.node ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect(res.errors?.[0]?.message).toMatch(/needs the OWNER role; this caller is STAFF/);
    }
  });

  it("reads another seller's users and keys, and a revoked key, as null", async () => {
    const stranger = await signUp(api, 'node-stranger');
    for (const id of [staff.userId, keyId]) {
      const res = await read(id, stranger.accessToken);
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toBeNull();
    }
    const revoked = await api.gql(RevokeApiKey, { id: keyId }, { token: owner.accessToken });
    expect(revoked.data?.revokeApiKey.userErrors).toEqual([]);
    const res = await read(keyId, owner.accessToken);
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toBeNull();
  });
});
