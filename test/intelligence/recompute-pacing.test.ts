import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTELLIGENCE_QUEUE, type RecomputeJobData, type RecomputeOutcome } from '../../src/modules/intelligence/intelligence.jobs.js';
import { RECOMPUTE_COOLDOWN_FACTOR, RecomputeRuns } from '../../src/modules/intelligence/recompute-pacing.js';
import { RecomputeInterrupted, recomputeSeller } from '../../src/modules/intelligence/seller-recompute.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir } from '../support/jobs.js';
import { eventually } from '../support/subscriptions.js';
import { uniqueId } from '../support/wait.js';

const DELAY_MS = 200;

let api: TestApi;
let runs: RecomputeRuns;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, INTELLIGENCE_RECOMPUTE_DELAY_MS: String(DELAY_MS), IMPORT_BATCH_ROWS: '10' }, { worker: true });
  runs = new RecomputeRuns(api.infra.redis, api.infra.config.redisPrefix);
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

const forecastTimes = async (seller: string) =>
  (await api.infra.db.stockForecastCache.findMany({ where: { sellerId: seller }, select: { computedAt: true } })).map((f) => f.computedAt.getTime());

/** What the seller's finished recompute jobs returned. */
async function outcomes(seller: string): Promise<RecomputeOutcome[]> {
  const jobs = await api.infra.queues.get<RecomputeJobData>(INTELLIGENCE_QUEUE).getJobs(['completed']);
  return jobs.filter((job) => job?.data.sellerId === seller).map((job) => job.returnvalue as RecomputeOutcome);
}

describe('recompute pacing', () => {
  it('does not recompute a seller while its import runs, and recomputes once the import ended', async () => {
    const seller = uniqueId('intel-pacing-import');
    const rows = Array.from({ length: 3000 }, (_, i) => `P-${i},Item ${i},,1.00,${i % 5},C${i % 3},`);
    // batches of 10 rows: the relay publishes each batch's events and queues recomputes while the import runs
    const job = await api.services.bulk.startImport(seller, 'UPSERT', Readable.from([Buffer.from(`${CSV_HEADER}\n${rows.join('\n')}\n`)]));
    const done = await finishedJob(api, seller, job.id, 120_000);
    expect(done).toMatchObject({ state: 'COMPLETED', succeededRows: 3000 });

    let times: number[] = [];
    await eventually(async () => (times = await forecastTimes(seller)).length === 3000, 30_000, 'the recompute after the import');
    // every forecast was written by a recompute that started after the import ended
    expect(Math.min(...times)).toBeGreaterThanOrEqual(done.finishedAt!.getTime());
    // and recomputes were asked for during the import, and skipped
    expect(await outcomes(seller)).toContain('importing');
  }, 180_000);

  it('waits after a recompute for a time that grows with how long it took', async () => {
    const seller = uniqueId('intel-pacing-cooldown');
    await api.infra.db.product.create({ data: { sellerId: seller, name: 'Lamp', price: '5.00', category: 'Light', quantity: 3 } });
    // as if the last recompute had just taken a second: the next one waits 4 s, not 200 ms
    const endedAt = Date.now();
    await runs.record(seller, { startedAt: endedAt - 1000, endedAt });
    await api.services.intelligence.schedule(seller);

    const ran = async (after: number) => {
      await eventually(async () => (await runs.last(seller))!.startedAt > after, 15_000, 'a recompute');
      return (await runs.last(seller))!;
    };
    const last = await ran(endedAt);
    expect(last.startedAt).toBeGreaterThanOrEqual(endedAt + RECOMPUTE_COOLDOWN_FACTOR * 1000);
    const [forecastAt] = await forecastTimes(seller);
    expect(forecastAt).toBeGreaterThanOrEqual(endedAt + RECOMPUTE_COOLDOWN_FACTOR * 1000);

    // that recompute took milliseconds: the next waits only the throttle delay
    await api.services.intelligence.schedule(seller);
    const next = await ran(last.startedAt);
    expect(next.startedAt - last.endedAt).toBeLessThan(RECOMPUTE_COOLDOWN_FACTOR * 1000);
    expect(next.startedAt - last.endedAt).toBeGreaterThanOrEqual(DELAY_MS);
  }, 60_000);

  it('stops a recompute between steps once its worker stops, leaving what it finished whole', async () => {
    const seller = uniqueId('intel-stop');
    await api.infra.db.seller.create({ data: { id: seller } });
    await api.infra.db.product.createMany({
      data: Array.from({ length: 1200 }, (_, i) => ({ sellerId: seller, sku: `S-${i}`, name: `Stop item ${i}`, price: '1.00', category: `C${i % 3}` })),
    });
    // stopping while the forecasts are fitted: nothing saved yet
    let checks = 0;
    await expect(recomputeSeller(api.infra.db, seller, new Date(), () => ++checks >= 1)).rejects.toBeInstanceOf(RecomputeInterrupted);
    expect(checks).toBe(1);
    expect(await forecastTimes(seller)).toEqual([]);
    // stopping after the forecasts: they are saved, for every product; the classifier, a later step, is not
    checks = 0;
    await expect(recomputeSeller(api.infra.db, seller, new Date(), () => ++checks > 2)).rejects.toBeInstanceOf(RecomputeInterrupted);
    expect(await forecastTimes(seller)).toHaveLength(1200);
    expect(await api.infra.db.categoryModelRecord.count({ where: { sellerId: seller } })).toBe(0);
  });
});

