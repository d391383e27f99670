import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('limit settings', () => {
  it('defaults to the documented limits', () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({
      requestsPerSecond: 100,
      requestBurst: 50,
      maxQueryCost: 1000,
      costBudget: { maximumAvailable: 1000, restoreRate: 50 },
      maxDepth: 12,
      maxAliases: 30,
      maxRootFields: 20,
      maxTokens: 5000,
      maxSubscriptionsPerSeller: 100,
      maxSubscriptionsPerConnection: 20,
      concurrentOperations: { perSeller: 4, perAddress: 2, queueMs: 2000 },
      maxWebSocketsPerSeller: 20,
      maxWebSocketsPerAddress: 50,
      persistedQueries: { maxQueryBytes: 65_536, maxPerSeller: 1000 },
    });
    expect(config.corsOrigins).toEqual([]);
    expect(config.apqTtlSeconds).toBe(86_400);
  });

  it('reads a comma-separated CORS allow-list of origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com/app' })).toThrow(/^config: CORS_ORIGINS is invalid/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/^config: CORS_ORIGINS is invalid/);
  });

  it('refuses a per-query maximum above the whole budget, and non-positive limits', () => {
    expect(() => loadConfig({ QUERY_MAX_COST: '2000' })).toThrow('config: QUERY_MAX_COST is invalid: must not exceed COST_BUDGET_MAX');
    expect(loadConfig({ QUERY_MAX_COST: '2000', COST_BUDGET_MAX: '5000' }).limits.maxQueryCost).toBe(2000);
    expect(() => loadConfig({ RATE_LIMIT_PER_SECOND: '0' })).toThrow(/^config: RATE_LIMIT_PER_SECOND is invalid/);
    expect(() => loadConfig({ QUERY_MAX_DEPTH: 'deep' })).toThrow(/^config: QUERY_MAX_DEPTH is invalid/);
  });
});
