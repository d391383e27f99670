import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, CreateApiKey, signUp } from '../support/accounts.js';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const upload = (token: string) =>
  fetch(`${api.url}/imports/products`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` }, body: 'name,price,category\nLamp,1.00,lamps\n' });

describe('uploads and downloads with account credentials', () => {
  it('a STAFF API key uploads an import and reads its job; a READ_ONLY user is refused the upload with 403, nothing stored', async () => {
    const owner = await signUp(api, 'transfer');
    const key = (await api.gql(CreateApiKey, { input: { name: 'uploader', role: 'STAFF' } }, { token: owner.accessToken })).data!.createApiKey.key!;
    const accepted = await upload(key);
    expect(accepted.status).toBe(202);
    const job = (await accepted.json()) as { id: string };
    const read = await fetch(`${api.url}/jobs/${job.id}`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(read.status).toBe(200);

    const reader = await addUser(api, owner, 'READ_ONLY');
    const jobsBefore = await api.infra.db.job.count();
    const refused = await upload(reader.accessToken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ errors: [{ message: expect.stringContaining('needs the STAFF role'), extensions: { code: 'FORBIDDEN' } }] });
    expect(await api.infra.db.job.count()).toBe(jobsBefore);
    // reading stays open to READ_ONLY
    expect((await fetch(`${api.url}/jobs/${job.id}`, { headers: { authorization: `Bearer ${reader.accessToken}` } })).status).toBe(200);
  });
});
