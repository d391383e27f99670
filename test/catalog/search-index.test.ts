import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createQueue } from '../../src/infra/queues.js';
import { searchSql } from '../../src/modules/catalog/search-index.repository.js';
import { drainSearchQueue, SEARCH_INDEX_QUEUE } from '../../src/modules/catalog/search-index.jobs.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, tempBlobDir } from '../support/jobs.js';
import { waitFor } from '../support/wait.js';

const Create = `mutation SearchCreate($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }`;
const Update = `mutation SearchUpdate($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { userErrors { message } } }`;
const Delete = `mutation SearchDelete($id: ID!) { deleteProduct(id: $id) { userErrors { message } } }`;
const Search = `query SearchProducts($search: String!) { products(first: 100, filter: { search: $search }, orderBy: { field: NAME, direction: ASC }) { nodes { name } totalCount } }`;

interface SearchResult {
  products: { nodes: { name: string }[]; totalCount: number };
}

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;

beforeAll(async () => {
  blobs = await tempBlobDir();
  // the scheduled drain runs once at start: the tests below index only when they say so
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_BATCH_ROWS: '500', SEARCH_INDEX_INTERVAL_MS: '3600000' }, { worker: true });
  const queue = createQueue(api.infra.config, SEARCH_INDEX_QUEUE);
  try {
    // the scheduler's first drain ran and the next one waits an hour
    const settled = async () =>
      ((await queue.getJobScheduler('drain'))?.next ?? 0) > Date.now() + 60_000 && (await queue.getJobCountByTypes('active', 'wait', 'prioritized')) === 0;
    await waitFor(async () => ((await settled()) ? true : undefined), 'the first scheduled drain');
  } finally {
    await queue.close();
  }
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

const query = <T>(sql: string, ...values: unknown[]) => api.infra.db.$queryRawUnsafe<T[]>(sql, ...values);

async function searchResult(seller: string, text: string): Promise<SearchResult['products']> {
  const res = await api.gql<SearchResult, { search: string }>(Search, { search: text }, { seller });
  expect(res.errors).toBeUndefined();
  return res.data!.products;
}

/** The names found (at most 100), checked against the count. */
async function search(seller: string, text: string): Promise<string[]> {
  const found = await searchResult(seller, text);
  expect(found.totalCount).toBe(found.nodes.length);
  return found.nodes.map((n) => n.name);
}

async function create(seller: string, input: Record<string, unknown>): Promise<string> {
  const res = await api.gql<{ createProduct: { product: { id: string } | null; userErrors: unknown[] } }, unknown>(Create, { input: { price: '1', category: 'Search', ...input } }, { seller });
  expect(res.data!.createProduct.userErrors).toEqual([]);
  return res.data!.createProduct.product!.id;
}

async function update(seller: string, id: string, input: Record<string, unknown>): Promise<void> {
  const res = await api.gql<{ updateProduct: { userErrors: unknown[] } }, unknown>(Update, { id, input }, { seller });
  expect(res.data!.updateProduct.userErrors).toEqual([]);
}

const queued = async (seller: string) => (await query<{ n: number }>('SELECT count(*)::int AS n FROM product_search_queue WHERE seller_id = $1', seller))[0]!.n;
const indexedDoc = async (seller: string, name: string) =>
  (await query<{ doc: string }>('SELECT s.doc FROM product_search s JOIN products p ON p.id = s.product_id WHERE p.seller_id = $1 AND p.name = $2', seller, name))[0]?.doc;

describe('product search with the side index', () => {
  it('finds a product as soon as it is created or changed, before and after the background indexing, and never by old text', async () => {
    const seller = 'search-fresh';
    const id = await create(seller, { name: 'Walnut desk', description: 'Solid oak top', sku: 'DESK-1' });
    expect(await queued(seller)).toBe(1);
    expect(await indexedDoc(seller, 'Walnut desk')).toBeUndefined();
    expect(await search(seller, 'walnut')).toEqual(['Walnut desk']);
    expect(await search(seller, 'OAK TOP')).toEqual(['Walnut desk']);
    expect(await search(seller, 'desk-1')).toEqual(['Walnut desk']);

    expect(await drainSearchQueue(api.infra, 1000)).toBeGreaterThanOrEqual(1);
    expect(await queued(seller)).toBe(0);
    expect(await indexedDoc(seller, 'Walnut desk')).toBe('Walnut desk Solid oak top DESK-1');
    expect(await search(seller, 'walnut')).toEqual(['Walnut desk']);

    // changed after indexing: the old text no longer matches, the new one does at once
    await update(seller, id, { name: 'Maple desk', description: null, sku: 'DESK-2' });
    expect(await queued(seller)).toBe(1);
    expect(await search(seller, 'walnut')).toEqual([]);
    expect(await search(seller, 'oak')).toEqual([]);
    expect(await search(seller, 'maple')).toEqual(['Maple desk']);
    expect(await search(seller, 'desk-2')).toEqual(['Maple desk']);
    // a match across two fields of the indexed text is not a match of any field
    await drainSearchQueue(api.infra, 1000);
    expect(await search(seller, 'desk desk')).toEqual([]);
    expect(await search(seller, 'maple')).toEqual(['Maple desk']);

    // a search too short for trigrams reads the seller's products
    expect(await search(seller, 'MA')).toEqual(['Maple desk']);
    expect(await search(seller, 'oa')).toEqual([]);

    // a stock-only change does not queue the product again
    await update(seller, id, { quantity: 7 });
    expect(await queued(seller)).toBe(0);

    const res = await api.gql<{ deleteProduct: { userErrors: unknown[] } }, unknown>(Delete, { id }, { seller });
    expect(res.data!.deleteProduct.userErrors).toEqual([]);
    expect(await search(seller, 'maple')).toEqual([]);
    expect(await query('SELECT 1 FROM product_search s WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = s.product_id)')).toEqual([]);
  });

  it("never shows another seller's products, queued or indexed", async () => {
    await create('search-a', { name: 'Copper kettle A' });
    await create('search-b', { name: 'Copper kettle B' });
    expect(await search('search-a', 'copper kettle')).toEqual(['Copper kettle A']);
    expect(await search('search-b', 'copper kettle')).toEqual(['Copper kettle B']);
    await drainSearchQueue(api.infra, 1000);
    expect(await search('search-a', 'copper kettle')).toEqual(['Copper kettle A']);
    expect(await search('search-b', 'copper kettle')).toEqual(['Copper kettle B']);
  });

  it('finds imported products when the import completes, new and updated, before any indexing', async () => {
    const seller = 'search-import';
    const rows = (label: string) => Array.from({ length: 1200 }, (_, i) => `IMP-${i},${label} item ${i},batch ${label},1.00,1,Bulk,1\n`).join('');
    for (const label of ['Zinc', 'Tin']) {
      const job = await api.services.bulk.startImport(seller, 'UPSERT', Readable.from([Buffer.from(`${CSV_HEADER}\n${rows(label)}`)]));
      expect((await finishedJob(api, seller, job.id, 60_000)).state).toBe('COMPLETED');
      expect(await queued(seller)).toBe(1200);
      expect(await search(seller, `${label} item 1199`)).toEqual([`${label} item 1199`]);
      expect((await searchResult(seller, `batch ${label}`)).totalCount).toBe(1200);
    }
    expect(await search(seller, 'zinc')).toEqual([]);
    await drainSearchQueue(api.infra, 500);
    expect(await queued(seller)).toBe(0);
    expect(await search(seller, 'tin item 1199')).toEqual(['Tin item 1199']);
    expect(await search(seller, 'zinc')).toEqual([]);
  });

  it('resumes a drain cut short by a stopping worker: the rest stays queued for the next one', async () => {
    const seller = 'search-resume';
    await query(`INSERT INTO products (seller_id, name, price, category) SELECT $1, 'Resumed ' || i, 1, 'Bulk' FROM generate_series(1, 250) AS i`, seller);
    const before = (await query<{ n: number }>('SELECT count(*)::int AS n FROM product_search_queue'))[0]!.n;
    expect(await drainSearchQueue(api.infra, 100, () => true)).toBe(100);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM product_search_queue'))[0]!.n).toBe(before - 100);
    await drainSearchQueue(api.infra, 100);
    expect(await queued(seller)).toBe(0);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM product_search s JOIN products p ON p.id = s.product_id WHERE p.seller_id = $1', seller))[0]!.n).toBe(250);
  });

  it('leaves every product either queued or indexed with its committed text while writers and two indexers race', async () => {
    const seller = 'search-race';
    await query(`INSERT INTO products (seller_id, sku, name, price, category) SELECT $1, 'RACE-' || i, 'Race ' || i, 1, 'Bulk' FROM generate_series(1, 40) AS i`, seller);
    const ids = (await query<{ id: number }>('SELECT id FROM products WHERE seller_id = $1 ORDER BY id', seller)).map((r) => r.id);
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < 60; i++) {
        // two products per transaction, locked in id order as every writer locks
        const pair = [ids[(w * 7 + i) % ids.length]!, ids[(w * 13 + i * 3) % ids.length]!].sort((a, b) => a - b);
        await api.infra.db.$transaction(async (tx) => {
          for (const id of pair) await tx.$executeRawUnsafe('UPDATE products SET name = $1, quantity = quantity + 1 WHERE id = $2', `Race ${id} w${w} i${i}`, id);
        });
      }
    };
    const indexer = async () => {
      while (writing) await drainSearchQueue(api.infra, 7);
    };
    const indexers = [indexer(), indexer()];
    await Promise.all([0, 1, 2, 3].map(writer));
    writing = false;
    await Promise.all(indexers);
    const stale = await query(
      `SELECT p.id FROM products p LEFT JOIN product_search s ON s.product_id = p.id
       WHERE p.seller_id = $1 AND NOT EXISTS (SELECT 1 FROM product_search_queue q WHERE q.seller_id = p.seller_id AND q.product_id = p.id)
         AND s.doc IS DISTINCT FROM p.name || ' ' || coalesce(p.description, '') || ' ' || coalesce(p.sku, '')`,
      seller,
    );
    expect(stale).toEqual([]);
    const last = (await query<{ name: string }>('SELECT name FROM products WHERE id = $1', ids[5]))[0]!.name;
    expect(await search(seller, last)).toEqual([last]);
    await drainSearchQueue(api.infra, 1000);
    expect(await search(seller, last)).toEqual([last]);
  });

  it('is drained by the search-index BullMQ job, and search then reads the trigram index', async () => {
    const seller = 'search-job';
    await query(`INSERT INTO products (seller_id, sku, name, description, price, category) SELECT $1, 'JOB-' || i, 'Generic product ' || i, md5(i::text), 1, 'Bulk' FROM generate_series(1, 5000) AS i`, seller);
    expect(await queued(seller)).toBe(5000);
    const queue = createQueue(api.infra.config, SEARCH_INDEX_QUEUE);
    try {
      await queue.add('drain', {}, { removeOnComplete: true });
      await waitFor(async () => ((await queued(seller)) === 0 ? true : undefined), 'the search queue to drain', 60_000);
    } finally {
      await queue.close();
    }
    expect(await indexedDoc(seller, 'Generic product 4242')).toBe(`Generic product 4242 ${createHash('md5').update('4242').digest('hex')} JOB-4242`);
    expect(await search(seller, 'uct 4242')).toEqual(['Generic product 4242']);
    await query('VACUUM ANALYZE product_search');
    await query('ANALYZE products');
    const plan = await api.infra.db.$queryRaw<{ 'QUERY PLAN': string }[]>(
      Prisma.sql`EXPLAIN SELECT * FROM products WHERE seller_id = ${seller} AND ${searchSql(seller, 'uct 4242')}`,
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('product_search_doc_trgm_idx');
    expect(text).not.toMatch(/Seq Scan on products/);
  });
});
