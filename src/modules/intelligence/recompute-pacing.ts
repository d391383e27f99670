import type { Redis } from '../../infra/redis.js';

/** A seller's next recompute waits this many times as long as its last one took (beyond the throttle delay). */
export const RECOMPUTE_COOLDOWN_FACTOR = 4;
/** How long a seller's last run is remembered: far longer than any cooldown. */
const REMEMBER_MS = 3600_000;

export interface RecomputeRun {
  startedAt: number;
  endedAt: number;
}

/**
 * When the seller's next recompute may start: `delayMs` after the last one ended, or
 * RECOMPUTE_COOLDOWN_FACTOR times its duration if longer, so a large catalog's recomputes take
 * at most a fifth of the worker's time however often its seller changes.
 */
export const nextRecomputeAt = (last: RecomputeRun, delayMs: number): number =>
  last.endedAt + Math.max(delayMs, RECOMPUTE_COOLDOWN_FACTOR * (last.endedAt - last.startedAt));

/** Each seller's last recompute, shared by every worker through Redis. */
export class RecomputeRuns {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(sellerId: string): string {
    return `${this.prefix}:intelligence:last-run:${sellerId}`;
  }

  async last(sellerId: string): Promise<RecomputeRun | null> {
    const value = await this.redis.get(this.key(sellerId));
    if (value === null) return null;
    const [startedAt, endedAt] = value.split(',').map(Number);
    return { startedAt: startedAt!, endedAt: endedAt! };
  }

  async record(sellerId: string, run: RecomputeRun): Promise<void> {
    await this.redis.set(this.key(sellerId), `${run.startedAt},${run.endedAt}`, 'PX', REMEMBER_MS);
  }
}
