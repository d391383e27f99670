import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE } from '../../src/graphql/transports/websocket.js';
import { graphql } from '../generated/index.js';
import { addUser, CreateApiKey, Me, RevokeApiKey, signUp } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { subscribeSse, subscribeWs, wsUrl } from '../support/subscriptions.js';
import { waitFor } from '../support/wait.js';

const Viewer = graphql(`query AccountsKeyViewer { viewer { id } }`);
const CreateProduct = graphql(`
  mutation AccountsKeyCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }
`);
const ApiKeys = graphql(`query AccountsApiKeys { apiKeys { id name role prefix lastUsedAt } }`);
const RemoveUser = graphql(`mutation AccountsRemoveUser($id: ID!) { removeUser(id: $id) { removedUserId userErrors { code message } } }`);
const Events = 'subscription { productEvents { sequence } }';
const product = { name: 'Key lamp', price: '9.99', category: 'lamps' };

/** A WebSocket client that never retries: resolves `connected` once the server accepted connection_init. */
function connectWs(url: string, authorization: string) {
  let onConnected: () => void = () => undefined;
  let onClosed: (code: number) => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closeCode = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { connected: () => onConnected(), closed: (event) => onClosed((event as { code: number }).code) },
  });
  return Object.assign(client, { connected, closeCode });
}

/** Two api instances on one database: revocations made on `api` must reach `other` through its recheck. */
let api: TestApi;
let other: TestApi;
beforeAll(async () => {
  api = await startTestApi({ AUTH_RECHECK_MS: '500' });
  other = await startTestApi({ AUTH_RECHECK_MS: '500' }, { databaseUrl: api.infra.config.databaseUrl });
});
afterAll(async () => {
  await other?.stop();
  await api?.stop();
});

async function createKey(owner: { accessToken: string }, role: 'OWNER' | 'STAFF' | 'READ_ONLY', name = `backend ${role}`) {
  const res = await api.gql(CreateApiKey, { input: { name, role } }, { token: owner.accessToken });
  expect(res.data?.createApiKey.userErrors).toEqual([]);
  return { key: res.data!.createApiKey.key!, id: res.data!.createApiKey.apiKey!.id, prefix: res.data!.createApiKey.apiKey!.prefix };
}

describe('API keys', () => {
  it('creates a key shown once (stored hashed), usable as a bearer token with its role, lastUsedAt set', async () => {
    const owner = await signUp(api, 'keys');
    const { key, id, prefix } = await createKey(owner, 'STAFF');
    expect(key).toMatch(new RegExp(`^amk_${prefix}_[A-Za-z0-9_-]{43}$`));
    const stored = await api.infra.db.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(JSON.stringify(stored)).not.toContain(key.split('_').slice(2).join('_'));
    const listed = await api.gql(ApiKeys, {}, { token: owner.accessToken });
    expect(JSON.stringify(listed.data)).not.toContain(key);
    expect(listed.data?.apiKeys).toEqual([{ id, name: 'backend STAFF', role: 'STAFF', prefix, lastUsedAt: null }]);

    const viewer = await other.gql(Viewer, {}, { token: key });
    expect(viewer.data?.viewer.id).toBe(owner.sellerId);
    const created = await other.gql(CreateProduct, { input: product }, { token: key });
    expect(created.data?.createProduct.userErrors).toEqual([]);
    const owners = await other.gql(ApiKeys, {}, { token: key });
    expect(owners.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(owners.errors?.[0]?.message).toContain('needs the OWNER role');
    const used = await api.gql(ApiKeys, {}, { token: owner.accessToken });
    expect(used.data?.apiKeys[0]?.lastUsedAt).not.toBeNull();
  });

  it('a READ_ONLY key reads and cannot write', async () => {
    const owner = await signUp(api, 'readkey');
    const { key } = await createKey(owner, 'READ_ONLY');
    expect((await api.gql(Viewer, {}, { token: key })).data?.viewer.id).toBe(owner.sellerId);
    const write = await api.gql(CreateProduct, { input: product }, { token: key });
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(write.errors?.[0]?.message).toContain('needs the STAFF role');
    expect(await api.infra.db.product.count({ where: { sellerId: owner.sellerId } })).toBe(0);
  });

  it('refuses a wrong secret for a real prefix, and a malformed key, with 401', async () => {
    const owner = await signUp(api, 'wrongkey');
    const { prefix } = await createKey(owner, 'OWNER');
    for (const bad of [`amk_${prefix}_${'A'.repeat(43)}`, 'amk_nope', `amk_${prefix}_`]) {
      const res = await api.gql(Viewer, {}, { token: bad });
      expect(res.status, bad).toBe(401);
      expect(res.errors?.[0]?.message).toBe('The API key is invalid or was revoked');
    }
  });

  it('a revoked key is refused at once here and within seconds by another instance that had it cached', async () => {
    const owner = await signUp(api, 'revoke');
    const { key, id } = await createKey(owner, 'STAFF');
    expect((await other.gql(Viewer, {}, { token: key })).status).toBe(200);
    const revoked = await api.gql(RevokeApiKey, { id }, { token: owner.accessToken });
    expect(revoked.data?.revokeApiKey).toEqual({ revokedApiKeyId: id, userErrors: [] });
    expect((await api.gql(Viewer, {}, { token: key })).status).toBe(401);
    const started = Date.now();
    await waitFor(async () => ((await other.gql(Viewer, {}, { token: key })).status === 401 ? true : undefined), 'the other instance to refuse the key', 5000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await api.gql(ApiKeys, {}, { token: owner.accessToken })).data?.apiKeys).toEqual([]);
    const again = await api.gql(RevokeApiKey, { id }, { token: owner.accessToken });
    expect(again.data?.revokeApiKey.userErrors[0]?.code).toBe('NOT_FOUND');
  });

  it('closes an open WebSocket of a revoked key with 4403 within seconds (revoked on another instance)', async () => {
    const owner = await signUp(api, 'wskey');
    const { key, id } = await createKey(owner, 'READ_ONLY');
    const client = connectWs(other.url, `Bearer ${key}`);
    const sub = subscribeWs(client, Events);
    await client.connected;
    await api.gql(RevokeApiKey, { id }, { token: owner.accessToken });
    const started = Date.now();
    expect(await client.closeCode).toBe(WS_CLOSE.Forbidden);
    expect(Date.now() - started).toBeLessThan(3000);
    await sub.waitFor((r) => r.completed, 2000, 'subscription ended');
  }, 10_000);

  it('ends an SSE stream of a revoked key within seconds', async () => {
    const owner = await signUp(api, 'ssekey');
    const { key, id } = await createKey(owner, 'READ_ONLY');
    const sub = subscribeSse(other.url, `Bearer ${key}`, Events);
    await waitFor(async () => ((await other.gql(Viewer, {}, { token: key })).status === 200 ? true : undefined), 'key in use');
    await api.gql(RevokeApiKey, { id }, { token: owner.accessToken });
    await sub.waitFor((r) => r.completed, 5000, 'stream ended');
    // the server ended an open stream (a refusal at the start would be a 401 error instead)
    expect(sub.errors.map((e) => e.message)).toEqual(['Connection closed while having active streams']);
    sub.unsubscribe();
  }, 10_000);
});

describe('removed users and revoked sessions on open connections', () => {
  it("closes a removed user's WebSocket with 4403 within seconds and refuses their token", async () => {
    const owner = await signUp(api, 'wsuser');
    const staff = await addUser(api, owner, 'STAFF');
    const client = connectWs(other.url, `Bearer ${staff.accessToken}`);
    const sub = subscribeWs(client, Events);
    await client.connected;
    expect((await other.gql(Me, {}, { token: staff.accessToken })).data?.me.email).toBe(staff.email);
    const removed = await api.gql(RemoveUser, { id: staff.userId }, { token: owner.accessToken });
    expect(removed.data?.removeUser).toEqual({ removedUserId: staff.userId, userErrors: [] });
    const started = Date.now();
    expect(await client.closeCode).toBe(WS_CLOSE.Forbidden);
    expect(Date.now() - started).toBeLessThan(3000);
    await sub.waitFor((r) => r.completed, 2000, 'subscription ended');
    await waitFor(async () => ((await other.gql(Me, {}, { token: staff.accessToken })).status === 401 ? true : undefined), 'token refused', 3000);
  }, 10_000);

  it('the last OWNER can be neither removed nor demoted', async () => {
    const owner = await signUp(api, 'lastowner');
    const res = await api.gql(RemoveUser, { id: owner.userId }, { token: owner.accessToken });
    expect(res.data?.removeUser.userErrors[0]?.message).toBe('The last OWNER cannot be removed');
    const UpdateRole = graphql(`mutation AccountsUpdateRole($id: ID!, $role: Role!) { updateUserRole(id: $id, role: $role) { user { role } userErrors { message } } }`);
    const demote = await api.gql(UpdateRole, { id: owner.userId, role: 'STAFF' }, { token: owner.accessToken });
    expect(demote.data?.updateUserRole.userErrors[0]?.message).toMatch(/last OWNER cannot be demoted/);
    const second = await addUser(api, owner, 'STAFF');
    const promoted = await api.gql(UpdateRole, { id: second.userId, role: 'OWNER' }, { token: owner.accessToken });
    expect(promoted.data?.updateUserRole.user?.role).toBe('OWNER');
    const nowDemoted = await api.gql(UpdateRole, { id: owner.userId, role: 'READ_ONLY' }, { token: owner.accessToken });
    expect(nowDemoted.data?.updateUserRole.user?.role).toBe('READ_ONLY');
    // the demoted owner's own token now carries READ_ONLY: role changes apply at once, not at token expiry
    const write = await api.gql(CreateProduct, { input: product }, { token: owner.accessToken });
    expect(write.errors?.[0]?.message).toContain('this caller is READ_ONLY');
  });
});
