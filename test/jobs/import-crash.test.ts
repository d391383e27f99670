import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/worker.js';
import { BULK_QUEUE } from '../../src/modules/bulk/bulk.jobs.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { JWT_SECRET, REDIS_URL } from '../support/env.js';
import { textKeyOf } from '../support/ids.js';
import { CSV_HEADER, finishedJob, jobOf, tempBlobDir, uploadCsv } from '../support/jobs.js';
import { startMain, type RunningProcess } from '../support/process.js';
import { eventually } from '../support/subscriptions.js';

// no in-process worker: jobs run in the worker processes each test starts
let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
const processes: RunningProcess[] = [];
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_BATCH_ROWS: '100', JOB_LOCK_MS: '2000' });
});
afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await api?.stop();
  await blobs?.remove();
});

function workerProcess(): RunningProcess {
  const { databaseUrl, redisPrefix } = api.infra.config;
  const proc = startMain({
    ROLE: 'worker',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET,
    MIGRATE_ON_START: 'false',
    BLOB_DIR: blobs.dir,
    IMPORT_BATCH_ROWS: '100',
    JOB_LOCK_MS: '2000', // a killed worker's job is taken over within a few seconds
    RELAY_POLL_MS: '200',
    RELAY_LOCK_RETRY_MS: '200',
    LOG_LEVEL: 'info',
  });
  processes.push(proc);
  return proc;
}

function csvOf(prefix: string, rows: number): string {
  let csv = `${CSV_HEADER}\n`;
  for (let i = 1; i <= rows; i++) csv += `${prefix}-${i},Item ${i},,${i}.99,${(i % 9) + 1},Crash test,2\n`;
  return csv;
}

async function expectEachRowAppliedOnce(seller: string, rows: number) {
  const db = api.infra.db;
  expect(await db.product.count({ where: { sellerId: seller } })).toBe(rows);
  const events = await db.event.groupBy({ by: ['type'], where: { sellerId: seller }, _count: true });
  expect(events).toEqual([{ type: 'ProductCreated', _count: rows }]);
  const created = await db.event.findMany({ where: { sellerId: seller }, select: { productId: true, sequence: true }, orderBy: { sequence: 'asc' } });
  expect(new Set(created.map((e) => e.productId)).size).toBe(rows);
  expect(created.map((e) => e.sequence)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
  const movements = await db.stockMovement.groupBy({ by: ['productId'], where: { sellerId: seller, reason: 'IMPORT' }, _count: true, _sum: { delta: true } });
  expect(movements).toHaveLength(rows);
  expect(movements.every((m) => m._count === 1)).toBe(true);
  const stock = await db.product.aggregate({ where: { sellerId: seller }, _sum: { quantity: true } });
  expect(movements.reduce((sum, m) => sum + (m._sum.delta ?? 0), 0)).toBe(stock._sum.quantity);
}

const processed = async (seller: string, id: string) => (await jobOf(api, seller, id))?.processedRows ?? 0;

describe('an import whose worker dies', () => {
  it('resumes in another worker process after kill -9 and applies every row exactly once', async () => {
    const seller = 'crash-kill9';
    const rows = 6000;
    const upload = await uploadCsv(api, seller, csvOf('K9', rows));
    expect(upload.status).toBe(202);
    const id = upload.json['id'] as string;

    const first = workerProcess();
    await first.waitForLine(/worker started/, 90_000); // a process compiles its sources on start: slow on a busy machine
    await eventually(async () => (await processed(seller, id)) >= 1000, 30_000, 'first worker to commit some batches');
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await processed(seller, id);
    expect(atKill).toBeLessThan(rows); // killed mid-import
    expect((await jobOf(api, seller, id))!.state).toBe('ACTIVE');

    const second = workerProcess();
    const job = await finishedJob(api, seller, id, 150_000);
    expect(job.attempts).toBeGreaterThanOrEqual(2); // a loaded machine may see more takeovers; rows still apply once
    expect(job).toMatchObject({ state: 'COMPLETED', totalRows: rows, processedRows: rows, succeededRows: rows, failedRows: 0 });
    await expectEachRowAppliedOnce(seller, rows);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 240_000);

  it('hands a running import back to the queue on shutdown; the next worker resumes it', async () => {
    const seller = 'crash-shutdown';
    const rows = 3000;
    const upload = await uploadCsv(api, seller, csvOf('SD', rows));
    const id = upload.json['id'] as string;

    const first = await startWorker(api.infra, api.services);
    await eventually(async () => (await processed(seller, id)) >= 300, 30_000, 'first worker to commit some batches');
    await first.stop();
    const handedBack = (await jobOf(api, seller, id))!;
    expect(handedBack.state).toBe('QUEUED');
    expect(handedBack.processedRows).toBeLessThan(rows);
    const queue = api.infra.queues.get(BULK_QUEUE);
    // back in the queue: delayed for 100 ms, then waiting
    expect(['delayed', 'waiting']).toContain(await queue.getJobState(textKeyOf(id)));

    const second = await startWorker(api.infra, api.services);
    try {
      const job = await finishedJob(api, seller, id, 60_000);
      expect(job).toMatchObject({ state: 'COMPLETED', processedRows: rows, succeededRows: rows, attempts: 2 });
      await expectEachRowAppliedOnce(seller, rows);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
