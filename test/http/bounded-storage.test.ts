import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../src/infra/blob-store.js';
import { MAX_JOB_ERROR_CHARS, truncateError } from '../../src/modules/bulk/jobs.repository.js';
import { purgeExpired } from '../../src/modules/retention/retention.jobs.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';
import { AdjustStock, createStocked, stockOf } from '../support/stock.js';
import { textKeyOf } from '../support/ids.js';

const RetentionExport = graphql(`
  mutation RetentionExport { exportProducts { job { id } userErrors { message } } }
`);
const RetentionJob = graphql(`
  query RetentionJob($id: ID!) { job(id: $id) { id state downloadUrl error } }
`);
const RetentionJobs = graphql(`
  query RetentionJobs { jobs(first: 10) { nodes { id state error } } }
`);

const HOUR = 3_600_000;
let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, EXPORT_RETENTION_HOURS: '24', IDEMPOTENCY_KEY_TTL_HOURS: '2' }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

const purge = () => purgeExpired({ db: api.infra.db, blobs: new LocalBlobStore(blobs.dir) }, api.infra.config.retention);
const age = (hours: number) => new Date(Date.now() - hours * HOUR);

async function exportFor(seller: string) {
  const started = await api.gql(RetentionExport, {}, { seller });
  expect(started.data!.exportProducts.userErrors).toEqual([]);
  const id = started.data!.exportProducts.job!.id;
  await finishedJob(api, seller, id);
  return id;
}
const download = async (seller: string, id: string) => (await fetch(`${api.url}/exports/${id}`, { headers: { authorization: `Bearer ${await api.token(seller)}` } })).status;

describe('retention', () => {
  it('runs as part of the worker', () => {
    expect(api.worker!.parts.map((p) => p.name)).toContain('retention');
  });

  it('deletes export files EXPORT_RETENTION_HOURS after the export finished; the job stays, without downloadUrl', async () => {
    const seller = 'retention-exports';
    await createStocked(api, seller, 3);
    const [old, recent] = [await exportFor(seller), await exportFor(seller)];
    await api.infra.db.job.update({ where: { id: textKeyOf(old) }, data: { finishedAt: age(25) } });
    const oldFile = path.join(blobs.dir, (await api.infra.db.job.findUniqueOrThrow({ where: { id: textKeyOf(old) } })).blobKey);
    await stat(oldFile); // there before

    expect((await purge()).exportFiles).toBe(1);
    await expect(stat(oldFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await api.gql(RetentionJob, { id: old }, { seller })).data!.job).toMatchObject({ state: 'COMPLETED', downloadUrl: null });
    expect(await download(seller, old)).toBe(404);
    expect((await api.gql(RetentionJob, { id: recent }, { seller })).data!.job!.downloadUrl).toBe(`/exports/${recent}`);
    expect(await download(seller, recent)).toBe(200);
    expect((await purge()).exportFiles).toBe(0); // nothing twice
  }, 90_000);

  it('deletes idempotency keys IDEMPOTENCY_KEY_TTL_HOURS after they were claimed; a retry after that runs as new', async () => {
    const seller = 'retention-keys';
    const productId = await createStocked(api, seller, 10);
    const send = (key: string) => api.gql(AdjustStock, { input: { productId, delta: 1, reason: 'RECEIVED', idempotencyKey: key } }, { seller });
    await send('old-key');
    await send('new-key');
    await api.infra.db.idempotencyKey.updateMany({ where: { sellerId: seller, key: 'old-key' }, data: { createdAt: age(3) } });

    expect((await purge()).idempotencyKeys).toBeGreaterThanOrEqual(1);
    const keys = await api.infra.db.idempotencyKey.findMany({ where: { sellerId: seller }, select: { key: true } });
    expect(keys.map((k) => k.key)).toEqual(['new-key']);
    await send('new-key'); // still a replay
    await send('old-key'); // forgotten: applied again
    expect(await stockOf(api, seller, productId)).toMatchObject({ quantity: 13 });
  });
});

describe('job errors', () => {
  it('stores a bounded error for a header of 100,000 columns', async () => {
    const seller = 'retention-wide';
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const upload = await uploadCsv(api, seller, `${header}\n`);
    expect(upload.status).toBe(202);
    const job = await finishedJob(api, seller, upload.json['id'] as string);
    expect(job.state).toBe('FAILED');
    expect(job.error!.length).toBeLessThanOrEqual(MAX_JOB_ERROR_CHARS);
    expect(job.error).toMatch(/\.\.\. \(truncated\)$/);
    const listed = await api.gql(RetentionJobs, {}, { seller });
    expect(listed.data!.jobs.nodes[0]).toMatchObject({ state: 'FAILED', error: job.error });
    expect(JSON.stringify(listed).length).toBeLessThan(5000); // was 1.2 MB per job
  }, 90_000);

  it('cuts long texts at whole characters and says so', () => {
    expect(truncateError('short', 10)).toBe('short');
    const cut = truncateError('☕'.repeat(1000), 500);
    expect(Array.from(cut)).toHaveLength(500);
    expect(cut.endsWith('... (truncated)')).toBe(true);
    expect(truncateError('x'.repeat(2_000_000), 1000)).toHaveLength(1000);
  });
});
