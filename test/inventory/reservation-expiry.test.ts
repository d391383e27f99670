import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { closeInfra, connectInfra, type Infra } from '../../src/infra/connect.js';
import { createLogger } from '../../src/infra/logger.js';
import { RESERVATION_EXPIRY_QUEUE, reservationsOfJob, type ReservationExpiryJob } from '../../src/modules/inventory/reservation-expiry.queue.js';
import { createServices } from '../../src/services.js';
import { startWorker, type RunningWorker } from '../../src/worker.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { CommitReservation, createStocked, expectStockInvariants, PlaceOrder, productEvents, ReadReservation, reserve, stockOf, waitFor } from '../support/stock.js';
import { keyOf } from '../support/ids.js';

const SELLER = 'expiry';
let api: TestApi;
const running: { worker: RunningWorker; infra: Infra }[] = [];

beforeAll(async () => {
  api = await startTestApi({ REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`, RESERVATION_SWEEP_INTERVAL_MS: '250' });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map(async ({ worker, infra }) => (await worker.stop(), await closeInfra(infra))));
  await expectStockInvariants(api, SELLER);
});
afterAll(() => api?.stop());

/** Starts a worker role with its own connections, as another process would have. */
async function startWorkers(count: number, settings: { sweepIntervalMs?: number } = {}) {
  for (let i = 0; i < count; i++) {
    const config = { ...api.infra.config, reservationSweepIntervalMs: settings.sweepIntervalMs ?? api.infra.config.reservationSweepIntervalMs };
    const infra = connectInfra(config, createLogger(config.logLevel));
    running.push({ infra, worker: await startWorker(infra, createServices(infra)) });
  }
}

const statusOf = async (id: string) => (await api.gql(ReadReservation, { id }, { seller: SELLER })).data!.reservation!.status;
const expiryQueue = () => api.infra.queues.get<ReservationExpiryJob>(RESERVATION_EXPIRY_QUEUE);
const delayedJobs = () => expiryQueue().getDelayed();

/** Waits for the delayed expiry job of a group of these reservations (more than one), and returns it. */
async function groupJobOf(held: { id: string }[]) {
  const ids = held.map((r) => keyOf(r.id));
  let found: Job<ReservationExpiryJob> | undefined;
  await waitFor(async () => {
    const jobs = await expiryQueue().getJobs(['delayed', 'wait']);
    found = jobs.find((j) => reservationsOfJob(j.data).length > 1 && reservationsOfJob(j.data).every((m) => ids.includes(m)));
    expect(found).toBeDefined();
  });
  return { job: found!, members: reservationsOfJob(found!.data) };
}

describe('reservation expiry', () => {
  it('releases each expired reservation exactly once with two workers racing, lost jobs included', async () => {
    await startWorkers(2);
    const a = await createStocked(api, SELLER, 100);
    const b = await createStocked(api, SELLER, 100);
    const reservations = await Promise.all(
      Array.from({ length: 12 }, (_, i) => reserve(api, SELLER, [{ productId: a, quantity: 1 + (i % 3) }, { productId: b, quantity: 2 }], 3)),
    );
    const kept = await reserve(api, SELLER, [{ productId: a, quantity: 5 }], 3600);
    expect(await stockOf(api, SELLER, a)).toMatchObject({ reserved: 29 });

    // lose the delayed jobs of half of them (a batch's reservations share one), as if Redis had
    // dropped them: the sweep must catch those
    const lostIds = reservations.slice(0, 6).map((r) => keyOf(r.id));
    await waitFor(async () => expect((await delayedJobs()).flatMap((j) => reservationsOfJob(j.data))).toEqual(expect.arrayContaining(lostIds)));
    let lost = 0;
    for (const job of await delayedJobs()) if (reservationsOfJob(job.data).some((id) => lostIds.includes(id))) lost += await expiryQueue().remove(job.id!);
    expect(lost).toBeGreaterThan(0);
    expect((await delayedJobs()).flatMap((j) => reservationsOfJob(j.data)).filter((id) => lostIds.includes(id))).toEqual([]);

    await waitFor(async () => {
      for (const r of reservations) expect(await statusOf(r.id)).toBe('EXPIRED');
    }, 15_000);
    expect(await stockOf(api, SELLER, a)).toMatchObject({ quantity: 100, reserved: 5 });
    expect(await stockOf(api, SELLER, b)).toMatchObject({ quantity: 100, reserved: 0 });
    expect(await statusOf(kept.id)).toBe('HELD');

    // once per release: 12 reservations + 1 kept hold = 13 updates, 12 releases = 12 more
    await new Promise((r) => setTimeout(r, 600)); // a few more sweeps and any straggling job
    const updates = (await productEvents(api, SELLER, a)).filter((e) => e.__typename === 'ProductUpdated');
    expect(updates).toHaveLength(25);
    expect((await productEvents(api, SELLER, b)).filter((e) => e.__typename === 'ProductUpdated')).toHaveLength(24);
  }, 30_000);

  it('releases a reservation at its expiry by the delayed job alone, without a sweep', async () => {
    await startWorkers(1, { sweepIntervalMs: 3_600_000 });
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 4 }], 1);
    await waitFor(async () => expect(await statusOf(r.id)).toBe('EXPIRED'), 8_000);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 0 });
  }, 15_000);

  it('gives a batch of concurrent holds one delayed job, which releases every one of them at their expiry', async () => {
    const id = await createStocked(api, SELLER, 100);
    const held = await Promise.all(Array.from({ length: 20 }, () => reserve(api, SELLER, [{ productId: id, quantity: 2 }], 1)));
    const ids = held.map((r) => keyOf(r.id));
    const byId = (a: number, b: number) => a - b;
    // no worker yet, so the jobs stay queued: every reservation in exactly one job, and fewer
    // jobs than reservations (they were batched)
    await waitFor(async () => {
      const jobs = (await expiryQueue().getJobs(['delayed', 'wait'])).filter((j) => reservationsOfJob(j.data).some((r) => ids.includes(r)));
      expect(jobs.flatMap((j) => reservationsOfJob(j.data)).sort(byId)).toEqual([...ids].sort(byId));
      expect(jobs.length).toBeLessThan(ids.length);
    });
    await startWorkers(1, { sweepIntervalMs: 3_600_000 });
    await waitFor(async () => {
      for (const r of held) expect(await statusOf(r.id)).toBe('EXPIRED');
    }, 10_000);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 100, reserved: 0 });
  }, 30_000);

  it('expires the rest of a group whose job finds one member already committed, and leaves that one committed', async () => {
    const id = await createStocked(api, SELLER, 100);
    const held = await Promise.all(Array.from({ length: 20 }, () => reserve(api, SELLER, [{ productId: id, quantity: 1 }], 1)));
    const { members } = await groupJobOf(held);
    const committed = held.find((r) => keyOf(r.id) === members[0])!;
    await api.gql(CommitReservation, { id: committed.id }, { seller: SELLER });
    await startWorkers(1, { sweepIntervalMs: 3_600_000 });
    await waitFor(async () => {
      for (const r of held) if (r !== committed) expect(await statusOf(r.id)).toBe('EXPIRED');
    }, 10_000);
    expect(await statusOf(committed.id)).toBe('COMMITTED');
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 99, reserved: 0 });
  }, 30_000);

  it('puts a group job that runs before its members are due back to wait, then expires them at their time', async () => {
    const id = await createStocked(api, SELLER, 100);
    const held = await Promise.all(Array.from({ length: 10 }, () => reserve(api, SELLER, [{ productId: id, quantity: 1 }], 8)));
    const { job: groupJob, members: group } = await groupJobOf(held);
    const jobId = groupJob.id!;
    const members = held.filter((r) => group.includes(keyOf(r.id)));
    const dueAt = Math.min(...members.map((r) => new Date(r.expiresAt).getTime()));
    await groupJob.promote();
    await startWorkers(1, { sweepIntervalMs: 3_600_000 });
    // it ran early: delayed again, none of its members released before their time
    await waitFor(async () => {
      const job = await expiryQueue().getJob(jobId);
      expect(job?.processedOn).toBeDefined();
      expect(await job!.getState()).toBe('delayed');
    });
    expect(Date.now()).toBeLessThan(dueAt);
    for (const r of members) expect(await statusOf(r.id)).toBe('HELD');
    await waitFor(async () => {
      for (const r of held) expect(await statusOf(r.id)).toBe('EXPIRED');
    }, 20_000);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 100, reserved: 0 });
  }, 40_000);

  it('leaves committed reservations alone and cancels the PENDING order of an expired one', async () => {
    await startWorkers(2);
    const id = await createStocked(api, SELLER, 10);
    const committed = await reserve(api, SELLER, [{ productId: id, quantity: 2 }], 1);
    await api.gql(CommitReservation, { id: committed.id }, { seller: SELLER });
    const placed = await api.gql(PlaceOrder, { input: { items: [{ productId: id, quantity: 3 }], ttlSeconds: 1 } }, { seller: SELLER });
    const order = placed.data!.placeOrder.order!;
    await waitFor(async () => expect(await statusOf(order.reservation!.id)).toBe('EXPIRED'), 8_000);
    expect(await api.infra.db.order.findUniqueOrThrow({ where: { id: keyOf(order.id) } })).toMatchObject({ status: 'CANCELLED' });
    expect(await statusOf(committed.id)).toBe('COMMITTED');
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 8, reserved: 0 });
  }, 15_000);

  it('lets exactly one of many concurrent expiry attempts release a due reservation', async () => {
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 3 }], 1);
    const other = createServices(api.infra);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? other : api.services).reservations.expire(keyOf(r.id))),
    );
    expect(outcomes.filter((o) => o.expired)).toHaveLength(1);
    expect(await stockOf(api, SELLER, id)).toMatchObject({ quantity: 10, reserved: 0 });
    const releases = (await productEvents(api, SELLER, id)).filter((e) => e.__typename === 'ProductUpdated');
    expect(releases.map((e) => e.changes!.reserved)).toEqual([3, 0]);
  });

  it('does not expire a reservation before its time', async () => {
    const id = await createStocked(api, SELLER, 10);
    const r = await reserve(api, SELLER, [{ productId: id, quantity: 1 }], 60);
    const outcome = await api.services.reservations.expire(keyOf(r.id));
    expect(outcome).toEqual({ expired: false, dueAt: new Date(r.expiresAt) });
    expect(await statusOf(r.id)).toBe('HELD');
  });
});
