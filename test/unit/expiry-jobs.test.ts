import { describe, expect, it } from 'vitest';
import { expiryGroupJobId, expiryJobId, expiryJobsOf, reservationsOfJob } from '../../src/modules/inventory/reservation-expiry.queue.js';

const now = Date.parse('2026-11-25T12:00:00.000Z');
const at = (seconds: number) => new Date(now + seconds * 1000);

describe('reservation expiry jobs', () => {
  it('gives reservations that expire at the same instant one job, named by the first, delayed to that instant', () => {
    const jobs = expiryJobsOf([{ id: 7, expiresAt: at(60) }, { id: 8, expiresAt: at(60) }, { id: 9, expiresAt: at(60) }], now);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toEqual({ reservationIds: [7, 8, 9] });
    expect(jobs[0]!.opts).toMatchObject({ jobId: expiryGroupJobId(7), delay: 60_000, attempts: 5 });
  });

  it('splits a batch by expiry instant, and keeps the one-reservation job (and its id) for a reservation alone at its instant', () => {
    const jobs = expiryJobsOf([{ id: 1, expiresAt: at(10) }, { id: 2, expiresAt: at(20) }, { id: 3, expiresAt: at(10) }], now);
    expect(jobs.map((j) => [j.opts.jobId, reservationsOfJob(j.data), j.opts.delay])).toEqual([
      [expiryGroupJobId(1), [1, 3], 10_000],
      [expiryJobId(2), [2], 20_000],
    ]);
  });

  it('never delays by a negative time: an instant already past fires at once', () => {
    expect(expiryJobsOf([{ id: 4, expiresAt: at(-5) }], now)[0]!.opts.delay).toBe(0);
  });

  it('reads both shapes of job data, including jobs queued before groups existed', () => {
    expect(reservationsOfJob({ reservationId: 5 })).toEqual([5]);
    expect(reservationsOfJob({ reservationIds: [5, 6] })).toEqual([5, 6]);
  });
});
