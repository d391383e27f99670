import type { Redis } from './redis.js';

// Holders of one seller's slots in one sorted set, scored by when each hold expires; checked and
// taken in one atomic script on Redis's clock. A holder taking again (its job resumed by another
// worker, or the periodic renewal) keeps its slot.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 0
`;

/**
 * At most `perSeller` jobs of one seller running at once across all workers of a queue. A hold
 * lasts `holdMs` unless renewed, so a killed worker's slot frees itself.
 */
export class SellerSlots {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly perSeller: number,
    readonly holdMs: number,
  ) {}

  private key(sellerId: string): string {
    return `${this.prefix}:${sellerId}`;
  }

  /** Takes (or renews) a slot for the holder; false when the seller's slots are all held. */
  async take(sellerId: string, holder: string): Promise<boolean> {
    return (await this.redis.eval(TAKE, 1, this.key(sellerId), this.holdMs, this.perSeller, holder)) === 1;
  }

  async release(sellerId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(sellerId), holder);
  }
}
