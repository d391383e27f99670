import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeSeller } from '../../src/modules/intelligence/seller-recompute.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueId } from '../support/wait.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

describe('the seller recompute', () => {
  it('rebuilds the word table and the classifier only when the catalog text changed', async () => {
    const seller = uniqueId('intel-recompute');
    const db = api.infra.db;
    // written without events: no background recompute runs beside these calls
    const mug = await db.product.create({ data: { sellerId: seller, name: 'Blue mug', description: 'Stoneware', price: '5.00', category: 'Kitchen', quantity: 9 } });
    await db.product.create({ data: { sellerId: seller, name: 'Garden hose', price: '25.00', category: 'Garden', quantity: 3 } });

    expect((await recomputeSeller(db, seller)).textChanged).toBe(true);
    const terms = async () => (await db.productTerm.findMany({ where: { productId: mug.id }, orderBy: { term: 'asc' } })).map((t) => t.term);
    expect(await terms()).toEqual(['blue', 'mug', 'stoneware']);
    const trained = (await db.categoryModelRecord.findUniqueOrThrow({ where: { sellerId: seller } })).trainedAt;

    await db.product.update({ where: { id: mug.id }, data: { quantity: 4 } }); // stock only
    expect((await recomputeSeller(db, seller)).textChanged).toBe(false);
    expect((await db.categoryModelRecord.findUniqueOrThrow({ where: { sellerId: seller } })).trainedAt).toEqual(trained);

    await db.product.update({ where: { id: mug.id }, data: { name: 'Red mug' } });
    expect((await recomputeSeller(db, seller)).textChanged).toBe(true);
    expect(await terms()).toEqual(['mug', 'red', 'stoneware']);
    expect(await db.stockForecastCache.count({ where: { sellerId: seller } })).toBe(2);
  });
});
