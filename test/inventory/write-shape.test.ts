import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnitOfWork } from '../../src/infra/unit-of-work.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { createStocked } from '../support/stock.js';
import { keyOf } from '../support/ids.js';

const SELLER = 'write-shape';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('the shape of a write', () => {
  it('appends the events of a change after everything the change wrote, in its transaction', async () => {
    const productId = keyOf(await createStocked(api, SELLER, 5));
    const { value, events } = await runUnitOfWork(api.infra.db, async (tx) => {
      const [row] = await tx.$queryRaw<{ txid: string }[]>`SELECT txid_current()::text AS txid`;
      await tx.$executeRaw`UPDATE products SET low_stock_threshold = 2 WHERE id = ${productId}`;
      return { value: row!.txid, events: [{ sellerId: SELLER, productId, data: { type: 'LowStockWarning' as const, currentQuantity: 5, threshold: 2 } }] };
    });
    expect(events).toHaveLength(1);
    // the event row was written by the same transaction as the change
    const [stored] = await api.infra.db.$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM events WHERE id = ${events[0]!.id}`;
    expect(stored!.xmin).toBe(value);
  });

  it('appends nothing when the change fails', async () => {
    const productId = keyOf(await createStocked(api, SELLER, 5));
    const before = await api.infra.db.event.count({ where: { sellerId: SELLER } });
    await expect(
      runUnitOfWork(api.infra.db, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(
      runUnitOfWork(api.infra.db, async () => ({
        value: null,
        events: [
          { sellerId: SELLER, productId, data: { type: 'LowStockWarning' as const, currentQuantity: 1, threshold: 1 } },
          { sellerId: 'someone-else', productId, data: { type: 'LowStockWarning' as const, currentQuantity: 1, threshold: 1 } },
        ],
      })),
    ).rejects.toThrow(/one seller/);
    expect(await api.infra.db.event.count({ where: { sellerId: SELLER } })).toBe(before);
  });

  it('leaves the event append to the unit of work alone (hold batches and bulk imports append inside their one statement)', async () => {
    const root = path.resolve(import.meta.dirname, '../../src');
    const callers: string[] = [];
    const setBased: string[] = [];
    for (const file of await sourceFiles(root)) {
      const text = await readFile(file, 'utf8');
      if (/\bappendEvents?\s*\(/.test(text)) callers.push(path.relative(root, file));
      if (/\$\{appendEventRowsCtes\(/.test(text)) setBased.push(path.relative(root, file));
    }
    expect(callers.sort()).toEqual(['infra/unit-of-work.ts', 'modules/events/events.repository.ts']);
    expect(setBased.sort()).toEqual(['modules/catalog/product-bulk.repository.ts', 'modules/inventory/stock.repository.ts']);
    // in those statements the append is the last CTE: only the final SELECT of counts or outcomes follows it
    for (const file of setBased) {
      const text = await readFile(path.join(root, file), 'utf8');
      const tail = text.slice(text.indexOf('${appendEventRowsCtes('));
      const statementEnd = tail.indexOf('`;');
      expect(tail.slice(0, statementEnd)).not.toMatch(/\b(INSERT|UPDATE|DELETE)\b/);
    }
  });
});
