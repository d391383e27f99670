import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_DELIVERIES_PER_SELLER } from '../../src/modules/webhooks/webhook.jobs.js';
import { graphql } from '../generated/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CSV_HEADER, finishedJob, jobOf, tempBlobDir } from '../support/jobs.js';
import { waitFor } from '../support/wait.js';

const FairWebhook = graphql(`
  mutation FairWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } userErrors { message } } }
`);
const FairProduct = graphql(`
  mutation FairProduct($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { message } } }
`);

let api: TestApi;
let blobs: Awaited<ReturnType<typeof tempBlobDir>>;
beforeAll(async () => {
  blobs = await tempBlobDir();
  api = await startTestApi({ BLOB_DIR: blobs.dir, IMPORT_BATCH_ROWS: '100', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '120000' }, { worker: true });
});
afterAll(async () => {
  await api?.stop();
  await blobs?.remove();
});

function csvOf(prefix: string, rows: number): Buffer {
  let csv = `${CSV_HEADER}\n`;
  for (let i = 1; i <= rows; i++) csv += `${prefix}-${i},Item ${i},,1.00,${i % 5},Fair,1\n`;
  return Buffer.from(csv);
}

/** An endpoint that holds every request until released, counting those it holds. */
async function heldEndpoint() {
  const held: ServerResponse[] = [];
  let received = 0;
  let mostHeld = 0;
  let holding = true;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      if (!holding) return void res.writeHead(200).end();
      held.push(res);
      mostHeld = Math.max(mostHeld, held.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    held: () => held.length,
    received: () => received,
    mostHeld: () => mostHeld,
    release: () => {
      holding = false;
      for (const res of held.splice(0)) res.writeHead(200).end();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('fair background work', () => {
  it("runs one bulk job per seller: a seller's two big imports leave the other worker slot to another seller's export", async () => {
    const busy = 'fair-bulk-busy';
    const other = 'fair-bulk-other';
    const first = await api.services.bulk.startImport(busy, 'UPSERT', Readable.from([csvOf('F1', 5000)]));
    const second = await api.services.bulk.startImport(busy, 'UPSERT', Readable.from([csvOf('F2', 5000)]));
    const exported = await api.services.bulk.exportProducts(other, undefined);
    const exportId = exported.job!.id;

    let bothActive = false;
    const atExportDone = await waitFor(
      async () => {
        const [a, b, e] = await Promise.all([jobOf(api, busy, first.id), jobOf(api, busy, second.id), jobOf(api, other, exportId)]);
        if (a!.state === 'ACTIVE' && b!.state === 'ACTIVE') bothActive = true;
        return e!.state === 'COMPLETED' ? [a!.state, b!.state] : undefined;
      },
      'the other seller’s export',
      120_000,
      20,
    );
    // the export finished while the busy seller's first import still ran and its second waited
    expect(atExportDone.filter((s) => s === 'COMPLETED')).toEqual([]);
    expect(bothActive).toBe(false);

    // and the busy seller's imports still both complete, one after the other
    for (const id of [first.id, second.id]) expect(await finishedJob(api, busy, id, 600_000)).toMatchObject({ state: 'COMPLETED', succeededRows: 5000 });
    expect(bothActive).toBe(false);
  }, 900_000);

  it("holds at most a few deliveries per seller: a seller's stuck endpoints leave room for another seller's deliveries", async () => {
    const slow = await heldEndpoint();
    const fast = await heldEndpoint();
    fast.release(); // answers at once
    try {
      const busy = 'fair-hooks-busy';
      const other = 'fair-hooks-other';
      for (let i = 0; i < 20; i++) {
        const res = await api.gql(FairWebhook, { input: { url: `${slow.url}/${i}`, eventTypes: ['PRODUCT_CREATED'] as never } }, { seller: busy });
        expect(res.data!.createWebhook.userErrors).toEqual([]);
      }
      const hook = await api.gql(FairWebhook, { input: { url: fast.url, eventTypes: ['PRODUCT_CREATED'] as never } }, { seller: other });
      expect(hook.data!.createWebhook.userErrors).toEqual([]);

      const input = { sku: 'HOOK-1', name: 'Hooked', price: '1.00', category: 'Fair', quantity: 1 };
      expect((await api.gql(FairProduct, { input }, { seller: busy })).data!.createProduct.userErrors).toEqual([]);
      await waitFor(async () => (slow.held() >= WEBHOOK_DELIVERIES_PER_SELLER ? true : undefined), 'the busy seller’s deliveries to hang', 60_000);
      expect((await api.gql(FairProduct, { input }, { seller: other })).data!.createProduct.userErrors).toEqual([]);

      // delivered while all the busy seller's deliveries still hang
      await waitFor(async () => (fast.received() === 1 ? true : undefined), 'the other seller’s delivery', 60_000);
      expect(slow.held()).toBe(WEBHOOK_DELIVERIES_PER_SELLER);
      expect(slow.received()).toBe(WEBHOOK_DELIVERIES_PER_SELLER);

      slow.release();
      await waitFor(async () => (slow.received() === 20 ? true : undefined), 'the busy seller’s 20 deliveries', 60_000);
      expect(slow.mostHeld()).toBe(WEBHOOK_DELIVERIES_PER_SELLER);
    } finally {
      slow.release();
      await Promise.all([slow.close(), fast.close()]);
    }
  }, 180_000);
});
