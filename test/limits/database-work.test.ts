import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/graphql/scalars.js';
import { createOperationSlots } from '../../src/limits/operation-slots.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/wait.js';
import { sellerNodeId } from '../support/ids.js';

const SHORT_SEARCH_COUNT = '{ products(first: 0, filter: { search: "zq" }) { totalCount } }';

describe('costs that follow the database', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_SECOND: '100000', CONCURRENT_OPERATIONS_PER_SELLER: '1', CONCURRENT_OPERATIONS_QUEUE_MS: '0' }, { limits: 'default' });
    for (let i = 0; i < 3; i++) await api.services.catalog.createProduct('db-work', { name: `P${i}`, price: new Decimal('1.00'), category: 'C' });
  });
  afterAll(() => api?.stop());

  it('prices a 2-character search count as the scan it is, and refunds none of it', async () => {
    const res = await api.gql(SHORT_SEARCH_COUNT, {}, { seller: 'db-work-scan' });
    expect(res.data).toEqual({ products: { totalCount: 0 } });
    expect(res.extensions?.['cost']).toMatchObject({ requestedQueryCost: 211, actualQueryCost: 211 });
    // a handful of them empty the default budget of 1,000 points (it refills 50 a second meanwhile)
    let refused = res;
    for (let i = 0; i < 10 && refused.status !== 429; i++) refused = await api.gql(SHORT_SEARCH_COUNT, {}, { seller: 'db-work-scan' });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'COST_BUDGET' });
  });

  it("caps a seller's concurrent operations: over the cap RATE_LIMITED, other sellers unaffected", async () => {
    // hold the products table so the seller's first query stays in the database
    let unlock: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (unlock = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const lock = api.infra.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
        locked();
        await held;
      },
      { timeout: 30_000 },
    );
    await isLocked;
    const first = api.gql('{ products(first: 5) { nodes { id } } }', {}, { seller: 'db-work' });
    await waitFor(
      async () => {
        const rows = await api.infra.db.$queryRawUnsafe<{ n: bigint }[]>("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        return Number(rows[0]!.n) > 0 ? true : undefined;
      },
      'the first query waiting on the lock',
    );
    const second = await api.gql('{ viewer { id } }', {}, { seller: 'db-work' });
    expect(second.status).toBe(429);
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'CONCURRENT_OPERATIONS', maximum: 1 });
    expect(second.headers.get('retry-after')).not.toBeNull();
    const bystander = await api.gql('{ viewer { id } }', {}, { seller: 'db-work-bystander' });
    expect(bystander.data).toEqual({ viewer: { id: sellerNodeId('db-work-bystander') } });

    unlock();
    await lock;
    expect((await first).data).toMatchObject({ products: { nodes: [{}, {}, {}] } });
    // the slot is free again
    expect((await api.gql('{ viewer { id } }', {}, { seller: 'db-work' })).data).toEqual({ viewer: { id: sellerNodeId('db-work') } });
  });
});

describe('operation slots', () => {
  const seller = { kind: 'seller', id: 's' } as const;

  it('lets the next in line take a freed slot, and refuses one that waited too long', async () => {
    const slots = createOperationSlots({ perSeller: 1, perAddress: 1, queueMs: 60_000 });
    const first = await slots.acquire(seller);
    expect(first.allowed).toBe(true);
    const waiting = slots.acquire(seller);
    if (first.allowed) first.release();
    expect((await waiting).allowed).toBe(true);
    expect(slots.running(seller)).toBe(1);

    const quick = createOperationSlots({ perSeller: 1, perAddress: 1, queueMs: 10 });
    const held = await quick.acquire(seller);
    const timedOut = await quick.acquire(seller);
    expect(timedOut.allowed).toBe(false);
    if (held.allowed) {
      held.release();
      held.release(); // idempotent
    }
    expect(quick.running(seller)).toBe(0);
  });

  it('refuses at once when the line is full', async () => {
    const slots = createOperationSlots({ perSeller: 1, perAddress: 1, queueMs: 60_000 });
    await slots.acquire(seller);
    const line = Array.from({ length: 4 }, () => slots.acquire(seller));
    const over = await slots.acquire(seller);
    expect(over.allowed).toBe(false);
    expect(line).toHaveLength(4);
  });
});
