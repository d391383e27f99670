import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit } from '../../src/infra/after-commit.js';
import { inTransaction } from '../../src/infra/prisma.js';
import type { EventData } from '../../src/modules/events/event.contract.js';
import { appendEvent, appendEvents } from '../../src/modules/events/events.repository.js';
import { onEventsCommitted } from '../../src/modules/events/events-committed.js';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
// the clock is read on a connection of its own, so a read right after a commit does not queue for the pool
let clockClient: pg.Client;
beforeAll(async () => {
  api = await startTestApi();
  clockClient = new pg.Client({ connectionString: api.infra.config.databaseUrl });
  await clockClient.connect();
});
afterAll(async () => {
  await clockClient?.end();
  await api?.stop();
});

const warning = (n: number): EventData => ({ type: 'LowStockWarning', currentQuantity: n, threshold: 5 });
/** The database clock, in microseconds since the epoch. */
const dbClock = async () => BigInt((await clockClient.query<{ us: string }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint::text AS us')).rows[0]!.us);

describe('event timestamps', () => {
  it('gives 5,000 events of one seller microsecond timestamps no later than their commit and within 1 s of it, and unique eventIds', async () => {
    const seller = 'stamps-5000';
    const commits: { sequences: number[]; clock: bigint }[] = [];
    const bulk = async (i: number) => {
      const events = await inTransaction(api.infra.db, (tx) => appendEvents(tx, seller, Array.from({ length: 100 }, (_, k) => ({ productId: i * 100 + k + 1, data: warning(k) }))));
      commits.push({ sequences: events.map((e) => e.sequence), clock: await dbClock() });
    };
    const single = async (i: number) => {
      const event = await inTransaction(api.infra.db, (tx) => appendEvent(tx, seller, 100_000 + i, warning(i)));
      commits.push({ sequences: [event.sequence], clock: await dbClock() });
    };
    // 48 bulk transactions of 100 and 200 single ones, racing for the same seller (and the same microseconds)
    const work = [...Array.from({ length: 48 }, (_, i) => () => bulk(i)), ...Array.from({ length: 200 }, (_, i) => () => single(i))];
    const lanes = Array.from({ length: 10 }, async (_, lane) => {
      for (let i = lane; i < work.length; i += 10) await work[i]!();
    });
    await Promise.all(lanes);

    const rows = await api.infra.db.$queryRaw<{ sequence: number; event_id: string; us: string; text: string }[]>`
      SELECT sequence, event_id, (extract(epoch FROM created_at) * 1000000)::bigint::text AS us,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS text
      FROM events WHERE seller_id = ${seller} ORDER BY sequence`;
    expect(rows).toHaveLength(5000);
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(5000);
    const at = new Map(rows.map((r) => [r.sequence, BigInt(r.us)]));
    for (let i = 1; i < rows.length; i++) expect(BigInt(rows[i]!.us)).toBeGreaterThan(BigInt(rows[i - 1]!.us));
    for (const r of rows) {
      expect(r.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(r.event_id.endsWith(`-LowStockWarning-${r.text}`)).toBe(true);
    }
    expect(commits.reduce((n, c) => n + c.sequences.length, 0)).toBe(5000);
    for (const { sequences, clock } of commits) {
      for (const s of sequences) {
        const lag = clock - at.get(s)!; // microseconds from the event's timestamp to a clock read after its commit
        expect(lag, `sequence ${s}`).toBeGreaterThanOrEqual(0n);
        expect(lag, `sequence ${s}`).toBeLessThan(1_000_000n);
      }
    }
  });

  it('keeps 5,000 events written in one transaction (an import batch) at or before the commit, within 1 s of it', async () => {
    const seller = 'stamps-one-batch';
    await inTransaction(api.infra.db, (tx) => appendEvents(tx, seller, Array.from({ length: 5000 }, (_, k) => ({ productId: k + 1, data: warning(k) }))));
    const clock = await dbClock();
    const [span] = await api.infra.db.$queryRaw<{ first: string; last: string; ids: number }[]>`
      SELECT (extract(epoch FROM min(created_at)) * 1000000)::bigint::text AS first, (extract(epoch FROM max(created_at)) * 1000000)::bigint::text AS last,
        count(DISTINCT event_id)::int AS ids
      FROM events WHERE seller_id = ${seller}`;
    expect(span!.ids).toBe(5000);
    expect(clock - BigInt(span!.last)).toBeGreaterThanOrEqual(0n); // not a millisecond per event ahead of the clock
    expect(clock - BigInt(span!.first)).toBeLessThan(1_000_000n);
  });

  it('wakes the relay once per committed transaction that appended events, and never for a rollback', async () => {
    let rings = 0;
    const stop = onEventsCommitted(() => rings++);
    try {
      await inTransaction(api.infra.db, async (tx) => {
        await appendEvent(tx, 'stamps-wake', 1, warning(1));
        await appendEvents(tx, 'stamps-wake', [{ productId: 2, data: warning(2) }]);
      });
      expect(rings).toBe(1);
      await expect(
        inTransaction(api.infra.db, async (tx) => {
          await appendEvent(tx, 'stamps-wake', 3, warning(3));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(rings).toBe(1);
      await inTransaction(api.infra.db, (tx) => tx.seller.findMany({ take: 1 }));
      expect(rings).toBe(1);
      const hooks: string[] = [];
      await inTransaction(api.infra.db, async (tx) => {
        afterCommit(tx, () => hooks.push('ran'));
        expect(hooks).toEqual([]);
      });
      expect(hooks).toEqual(['ran']);
    } finally {
      stop();
    }
  });
});
