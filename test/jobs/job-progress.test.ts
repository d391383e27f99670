import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/worker.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, tempBlobDir } from '../support/jobs.js';
import { subscribeSse, subscribeWs, wsClient } from '../support/subscriptions.js';

const ProgressImport = graphql(`
  mutation ProgressImport($csv: String!) { importProducts(csv: $csv) { job { id state } } }
`);
const JobProgress = graphql(`
  subscription JobProgress($id: ID!) { jobProgress(id: $id) { id state progress processedRows totalRows succeededRows failedRows finishedAt } }
`);

type Progress = { id: string; state: string; progress: number; processedRows: number; totalRows: number | null; succeededRows: number; failedRows: number; finishedAt: string | null };

// the worker starts only once the subscriber listens, so it sees the job from QUEUED on
let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_BATCH_ROWS: '250' });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

function csvOf(rows: number): string {
  let csv = `${CSV_HEADER}\n`;
  for (let i = 1; i <= rows; i++) csv += `P-${i},Item ${i},,1.00,${i % 3},Progress,1\n`;
  return csv + 'P-bad,Bad price,,free,1,Progress,1\n';
}

describe('jobProgress', () => {
  it('sends the current state, then progress until the job completes, then completes', async () => {
    const seller = 'progress-seller';
    const job = (await api.gql(ProgressImport, { csv: csvOf(2000) }, { seller })).data!.importProducts.job!;
    const client = wsClient(api.url, `Bearer ${await api.token(seller)}`);
    const sub = subscribeWs<Progress>(client, JobProgress, { id: job.id });
    await sub.waitFor((r) => r.values.length >= 1, 5000, 'the current state');
    expect(sub.values[0]).toMatchObject({ id: job.id, state: 'QUEUED', progress: 0, processedRows: 0, totalRows: null });

    const worker = await startWorker(api.infra, api.services);
    try {
      await sub.waitFor((r) => r.completed, 30_000, 'completion');
      expect(sub.errors).toEqual([]);
      const last = sub.values.at(-1)!;
      expect(last).toMatchObject({ state: 'COMPLETED', progress: 1, processedRows: 2001, totalRows: 2001, succeededRows: 2000, failedRows: 1 });
      expect(last.finishedAt).not.toBeNull();
      const processed = sub.values.map((v) => v.processedRows);
      expect(processed).toEqual([...processed].sort((a, b) => a - b));
      expect(sub.values.filter((v) => v.state === 'ACTIVE' && v.processedRows > 0 && v.processedRows < 2001).length).toBeGreaterThanOrEqual(3);
      expect(sub.values.filter((v) => v.state === 'COMPLETED')).toHaveLength(1);

      // a finished job: its final state, then complete at once (here over SSE)
      const again = subscribeSse<Progress>(api.url, `Bearer ${await api.token(seller)}`, JobProgress, { id: job.id });
      await again.waitFor((r) => r.completed, 5000, 'completion of a finished job');
      expect(again.values).toEqual([last]);
    } finally {
      await worker.stop();
      await client.dispose();
    }
  });

  it("refuses another seller's job", async () => {
    const job = (await api.gql(ProgressImport, { csv: `${CSV_HEADER}\n` }, { seller: 'progress-owner' })).data!.importProducts.job!;
    const client = wsClient(api.url, `Bearer ${await api.token('progress-intruder')}`);
    const sub = subscribeWs<Progress>(client, JobProgress, { id: job.id });
    await sub.waitFor((r) => r.completed, 5000, 'refusal');
    expect(sub.values).toEqual([]);
    expect(sub.errors[0]).toMatchObject({ message: 'Job not found', extensions: { code: 'BAD_USER_INPUT' } });
    await client.dispose();
  });
});
