import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { JWT_SECRET } from '../support/env.js';
import { uniqueId, waitFor } from '../support/wait.js';

// 2 requests per second and none in reserve: a burst of 10 from one address is refused in part
const RATE = { RATE_LIMIT_PER_SECOND: '2', RATE_LIMIT_BURST: '0' };

/** Statuses of n anonymous requests at once, each claiming to come from `forwardedFor`. */
async function burstFrom(api: TestApi, forwardedFor: string, n: number): Promise<number[]> {
  const send = () => api.gql('{ __typename }', {}, { seller: null, headers: { 'x-forwarded-for': forwardedFor } });
  return (await Promise.all(Array.from({ length: n }, send))).map((r) => r.status);
}

describe('TRUST_PROXY', () => {
  let behindProxy: TestApi;
  let direct: TestApi;
  beforeAll(async () => {
    // the tests' requests come from 127.0.0.1: the first server takes it for the proxy, the second does not
    behindProxy = await startTestApi({ ...RATE, TRUST_PROXY: '127.0.0.1', REDIS_PREFIX: uniqueId('test-trust-proxy') });
    direct = await startTestApi({ ...RATE, TRUST_PROXY: '192.0.2.1', REDIS_PREFIX: uniqueId('test-trust-none') });
  });
  afterAll(async () => {
    await behindProxy?.stop();
    await direct?.stop();
  });

  it("counts anonymous callers by the trusted proxy's X-Forwarded-For", async () => {
    // 5 clients, 2 requests each, at once: within every client's rate, though 10 from one address are not
    const clients = ['203.0.113.20', '203.0.113.21', '203.0.113.22', '203.0.113.23', '203.0.113.24'];
    const statuses = await Promise.all(clients.map((ip) => burstFrom(behindProxy, ip, 2)));
    expect(statuses.flat()).toEqual(Array(10).fill(200));
    expect(await burstFrom(behindProxy, '203.0.113.25', 10)).toContain(429);
  });

  it("ignores X-Forwarded-For from an address it does not trust: every claimed client shares the sender's count", async () => {
    let attempt = 0;
    // a fresh pair of claimed clients each time: with counts of their own, the second would never be refused
    await waitFor(async () => {
      attempt += 1;
      const first = await burstFrom(direct, `198.51.100.${attempt}`, 10);
      const second = await burstFrom(direct, `203.0.113.${attempt}`, 1);
      return first.includes(429) && second[0] === 429 ? true : undefined;
    }, 'a claimed client refused for requests made under another claimed address', 30_000);
  });

  it.each([
    [undefined, 'loopback'],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback, 10.0.0.0/8, fd00::/8', 'loopback, 10.0.0.0/8, fd00::/8'],
  ])('reads TRUST_PROXY=%s as %s', (value, expected) => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET, ...(value === undefined ? {} : { TRUST_PROXY: value }) });
    expect(config.trustProxy).toEqual(expected);
  });

  it.each(['proxy.example.com', '10.0.0.0/8/8', 'loopback,', '300.1.1.1'])('refuses to start with TRUST_PROXY=%s', (value) => {
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET, TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});
