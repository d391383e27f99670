import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AccountsConfig } from '../../config.js';
import { rateLimited } from '../../limits/errors.js';

const WINDOW_SECONDS = 60;

/**
 * Sign-in and refresh attempts per email and per client address, per minute, counted in Redis
 * like the request rate (in memory while Redis is away). Nothing is locked for longer than the window.
 */
export class SignInLimits {
  private readonly byEmail: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(redis: Redis, prefix: string, settings: AccountsConfig) {
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:limits:${name}`,
        points,
        duration: WINDOW_SECONDS,
        insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS }),
      });
    this.byEmail = limiter('sign-in-email', settings.signInPerEmailPerMinute);
    this.byAddress = limiter('sign-in-address', settings.signInPerAddressPerMinute);
  }

  /** Counts one attempt; throws RATE_LIMITED (429, Retry-After) over either limit. */
  async count(what: { email?: string; address?: string }): Promise<void> {
    const checks: [RateLimiterRedis, string, string][] = [];
    if (what.address !== undefined) checks.push([this.byAddress, what.address, 'from this address']);
    if (what.email !== undefined) checks.push([this.byEmail, what.email, 'for this email']);
    for (const [limiter, key, scope] of checks) {
      try {
        await limiter.consume(key, 1);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterMs = Math.max(1, rejection.msBeforeNext);
        throw rateLimited(`Too many sign-in attempts ${scope}: try again in ${Math.ceil(retryAfterMs / 1000)} s`, 'SIGN_IN', retryAfterMs);
      }
    }
  }
}
