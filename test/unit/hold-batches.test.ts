import { describe, expect, it, vi } from 'vitest';
import { HoldBatches } from '../../src/modules/inventory/hold-batches.js';

/** An apply that records each batch and answers it only when the test lets it go. */
function gate() {
  const batches: { requests: number[]; release: () => void }[] = [];
  const apply = (_key: string, requests: number[]) =>
    new Promise<number[]>((resolve) => batches.push({ requests, release: () => resolve(requests.map((r) => r * 10)) }));
  return { batches, apply };
}

const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

describe('hold batches', () => {
  it('runs one batch of a key at a time by default: what arrives meanwhile waits for its answer', async () => {
    const { batches, apply } = gate();
    const holds = new HoldBatches(apply, { windowMs: 1, max: 100 });
    const first = [holds.submit('s', 1), holds.submit('s', 2)];
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    const second = [holds.submit('s', 3)];
    await tick();
    expect(batches.map((b) => b.requests)).toEqual([[1, 2]]);
    batches[0]!.release();
    expect(await Promise.all(first)).toEqual([10, 20]);
    await vi.waitFor(() => expect(batches.map((b) => b.requests)).toEqual([[1, 2], [3]]));
    batches[1]!.release();
    expect(await Promise.all(second)).toEqual([30]);
  });

  it('with inFlight 2 sends the next batch while the previous one is out, never a third', async () => {
    const { batches, apply } = gate();
    const holds = new HoldBatches(apply, { windowMs: 1, max: 2, inFlight: 2 });
    const answers = [1, 2, 3, 4, 5].map((r) => holds.submit('s', r));
    // two batches out at once, the fifth request waits for a slot
    await vi.waitFor(() => expect(batches.map((b) => b.requests)).toEqual([[1, 2], [3, 4]]));
    await tick();
    expect(batches).toHaveLength(2);
    batches[1]!.release();
    await vi.waitFor(() => expect(batches.map((b) => b.requests)).toEqual([[1, 2], [3, 4], [5]]));
    batches[0]!.release();
    batches[2]!.release();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
  });

  it('keeps keys apart', async () => {
    const { batches, apply } = gate();
    const holds = new HoldBatches(apply, { windowMs: 1, max: 100 });
    const answers = [holds.submit('a', 1), holds.submit('b', 2), holds.submit('a', 3)];
    await vi.waitFor(() => expect(batches.map((b) => b.requests).sort()).toEqual([[1, 3], [2]]));
    for (const b of batches) b.release();
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
  });
});
