import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir, uploadCsv } from '../support/jobs.js';

const Rate = graphql(`
  query EventRate($minutes: Int!) { sellerMetrics { eventsPerMinute(minutes: $minutes) { minute count } } }
`);
const DefaultRate = graphql(`
  query EventRateDefault { sellerMetrics { eventsPerMinute { minute count } } }
`);
const RateCreate = graphql(`
  mutation RateCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir }, { worker: true });
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

const rate = async (seller: string, minutes: number) => {
  const res = await api.gql(Rate, { minutes }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.sellerMetrics.eventsPerMinute;
};
const total = (buckets: { count: number }[]) => buckets.reduce((sum, b) => sum + b.count, 0);
const eventsOf = async (seller: string) =>
  (await api.infra.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE seller_id = ${seller}`)[0]!.n;

describe('sellerMetrics.eventsPerMinute', () => {
  it('counts every event of a 3,000-row import as soon as the import is done, and no other seller\'s', async () => {
    const seller = 'rate-importer';
    const bystander = 'rate-bystander';
    for (const name of ['Kettle', 'Teapot']) await api.gql(RateCreate, { input: { name, category: 'Kitchen', price: '20.00', quantity: 50 } }, { seller });
    for (let i = 0; i < 5; i++) await api.gql(RateCreate, { input: { name: `Other ${i}`, category: 'Garden', price: '5.00', quantity: 50 } }, { seller: bystander });
    const rows = Array.from({ length: 3000 }, (_, i) => `R-${i},Imported item ${i},,9.50,40,Imports,2`);
    const upload = await uploadCsv(api, seller, [CSV_HEADER, ...rows].join('\n'));
    expect(upload.status).toBe(202);
    const job = await finishedJob(api, seller, upload.json['id'] as string, 60_000);
    expect(job).toMatchObject({ state: 'COMPLETED', succeededRows: 3000 });

    const buckets = await rate(seller, 10);
    expect(buckets).toHaveLength(10);
    expect(await eventsOf(seller)).toBe(3002);
    expect(total(buckets)).toBe(3002);
    expect(total(await rate(bystander, 10))).toBe(5);
    const minutes = buckets.map((b) => Date.parse(b.minute));
    minutes.forEach((m, i) => i > 0 && expect(m - minutes[i - 1]!).toBe(60_000));
    expect(Math.abs(minutes.at(-1)! - Math.floor(Date.now() / 60_000) * 60_000)).toBeLessThanOrEqual(60_000);
  }, 120_000);

  it('puts each event in its minute and leaves out those before the window', async () => {
    const seller = 'rate-clock';
    await api.infra.db.$executeRaw`
      INSERT INTO events (seller_id, sequence, event_id, type, product_id, payload, created_at)
      SELECT ${seller}, s, ${seller} || '-1-ProductUpdated-' || s, 'ProductUpdated', 1, '{}'::jsonb, now() - a * interval '1 minute'
      FROM unnest(ARRAY[1, 2, 3], ARRAY[10, 3, 0]) AS t(s, a)`;
    expect(total(await rate(seller, 2))).toBe(1);
    expect(total(await rate(seller, 5))).toBe(2);
    const quarter = await rate(seller, 15);
    expect(total(quarter)).toBe(3);
    expect(quarter.filter((b) => b.count > 0)).toHaveLength(3);
  });

  it('covers the last 30 minutes by default and refuses a span outside 1-1440 minutes', async () => {
    const seller = 'rate-default';
    const res = await api.gql(DefaultRate, {}, { seller });
    expect(res.data!.sellerMetrics.eventsPerMinute).toHaveLength(30);
    expect(total(res.data!.sellerMetrics.eventsPerMinute)).toBe(0);
    for (const minutes of [0, 1441, -5]) {
      const bad = await api.gql(Rate, { minutes }, { seller });
      expect(bad.errors?.[0]).toMatchObject({ message: 'minutes must be 1-1440', extensions: { code: 'BAD_USER_INPUT' } });
    }
  });
});
