import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'amused-settings-'));

const strong = () => randomBytes(32).toString('base64');
/** A production environment that starts; each test breaks one thing. */
const production = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  JWT_SECRET: strong(),
  WEBHOOK_SECRET_KEY: strong(),
  ...extra,
});

describe('production refuses to start with what lets a stranger in', () => {
  it('starts with strong secrets, with GraphiQL, introspection and public /metrics off', () => {
    const config = loadConfig(production());
    expect(config.graphiqlEnabled).toBe(false);
    expect(config.introspectionEnabled).toBe(false);
    expect(config.metricsToken).toBeUndefined();
    expect(loadConfig(production({ GRAPHIQL_ENABLED: 'true', INTROSPECTION_ENABLED: 'true' }))).toMatchObject({ graphiqlEnabled: true, introspectionEnabled: true });
  });

  it.each([
    ['the old source default', 'amused-local-development-secret-not-for-production'],
    ["docker-compose.yml's example", 'change-me-to-a-32-byte-or-longer-secret!!'],
    ["the tests' secret", 'test-secret-that-is-at-least-32-bytes-long'],
    ['a run of one character', 'x'.repeat(32)],
    ['a short repeated pattern', 'abcabcabcabcabcabcabcabcabcabcabcabc'],
    ['anything saying change-me', `please-change-me-${strong()}`],
    ['a short one', 'Short-but-random-9f8e7d'],
  ])('refuses JWT_SECRET = %s', (_name, secret) => {
    expect(() => loadConfig(production({ JWT_SECRET: secret }))).toThrow(/^config: JWT_SECRET is invalid: /);
  });

  it('refuses AUTH_MODE=gateway without a strong GATEWAY_SECRET', () => {
    expect(() => loadConfig(production({ AUTH_MODE: 'gateway' }))).toThrow(/^config: GATEWAY_SECRET is missing: is required in production with AUTH_MODE=gateway/);
    expect(() => loadConfig(production({ AUTH_MODE: 'gateway', GATEWAY_SECRET: 'y'.repeat(40) }))).toThrow(/^config: GATEWAY_SECRET is invalid/);
    const secret = strong();
    expect(loadConfig(production({ AUTH_MODE: 'gateway', GATEWAY_SECRET: secret })).auth).toMatchObject({ mode: 'gateway', gatewaySecret: secret });
  });

  it('refuses WEBHOOK_ALLOW_PRIVATE=true, a missing WEBHOOK_SECRET_KEY and a weak METRICS_TOKEN', () => {
    expect(() => loadConfig(production({ WEBHOOK_ALLOW_PRIVATE: 'true' }))).toThrow('config: WEBHOOK_ALLOW_PRIVATE is invalid: must not be true in production');
    const { WEBHOOK_SECRET_KEY: _key, ...withoutKey } = production();
    expect(() => loadConfig(withoutKey)).toThrow(/^config: WEBHOOK_SECRET_KEY is missing/);
    expect(() => loadConfig(production({ WEBHOOK_SECRET_KEY: 'dG9vIHNob3J0' }))).toThrow(/^config: WEBHOOK_SECRET_KEY is invalid: must be 32 bytes/);
    expect(() => loadConfig(production({ METRICS_TOKEN: 'm'.repeat(32) }))).toThrow(/^config: METRICS_TOKEN is invalid/);
  });
});

describe('development defaults', () => {
  it('listens on 127.0.0.1 and signs with a secret made on first start in an ignored file, never one from the source', () => {
    const file = join(dir, 'first', 'dev-secret');
    const first = loadConfig({ DEV_SECRET_FILE: file });
    expect(first.host).toBe('127.0.0.1');
    expect(first.auth.secret).toBe(readFileSync(file, 'utf8').trim());
    expect(first.auth.secret).toMatch(/^[\w-]{43}$/);
    expect(loadConfig({ DEV_SECRET_FILE: file }).auth.secret).toBe(first.auth.secret); // stable across starts
    const other = loadConfig({ DEV_SECRET_FILE: join(dir, 'other', 'dev-secret') });
    expect(other.auth.secret).not.toBe(first.auth.secret); // every checkout has its own
    expect(other.webhooks.secretKey).toHaveLength(32);
    expect(other.webhooks.secretKey.equals(first.webhooks.secretKey)).toBe(false);
    expect(first).toMatchObject({ graphiqlEnabled: true, introspectionEnabled: true });
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^var\/$/m); // the default DEV_SECRET_FILE is ./var/dev-secret
  });

  it('documents the slow-client, retention and webhook-failure defaults it uses', () => {
    const config = loadConfig({ DEV_SECRET_FILE: join(dir, 'defaults', 'dev-secret') });
    expect(config.timeouts).toEqual({ headersMs: 10_000, requestMs: 120_000, keepAliveMs: 5000, webSocketIdleMs: 300_000 });
    expect(config.retention).toEqual({ exportHours: 168, idempotencyKeyHours: 24, sweepIntervalMs: 3_600_000 });
    expect(config.webhooks).toMatchObject({ disableAfterHours: 48, disableAfterFailures: 1000 });
    expect(config.auth.maxLifetimeSeconds).toBe(86_400);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000', DEV_SECRET_FILE: join(dir, 'defaults', 'dev-secret') })).toThrow(
      'config: HTTP_HEADERS_TIMEOUT_MS is invalid: must not exceed HTTP_REQUEST_TIMEOUT_MS',
    );
  });
});

describe('.env', () => {
  const envFile = (text: string) => {
    const file = join(dir, `env-${randomBytes(4).toString('hex')}`);
    writeFileSync(file, text);
    return file;
  };

  it('is read at start, under the real environment', () => {
    const file = envFile('PORT=5001\nLOG_LEVEL=debug\n# a comment\nCORS_ORIGINS="https://a.example.com"\nDEV_SECRET_FILE=' + join(dir, 'envfile', 'dev-secret') + '\n');
    const fromFile = loadConfig({}, { envFile: file });
    expect(fromFile).toMatchObject({ port: 5001, logLevel: 'debug', corsOrigins: ['https://a.example.com'] });
    const overridden = loadConfig({ PORT: '6002' }, { envFile: file });
    expect(overridden).toMatchObject({ port: 6002, logLevel: 'debug' });
    // an empty variable in the environment does not erase the file's value
    expect(loadConfig({ PORT: '' }, { envFile: file }).port).toBe(5001);
  });

  it('fails as loudly on a bad value in the file as in the environment, saying where it came from', () => {
    const file = envFile('PORT=not-a-port\n');
    expect(() => loadConfig({}, { envFile: file })).toThrow(/^config: PORT \(from \.env\) is invalid: /);
    expect(loadConfig({ PORT: '7003', DEV_SECRET_FILE: join(dir, 'envfile', 'dev-secret') }, { envFile: file }).port).toBe(7003);
    expect(() => loadConfig({ NODE_ENV: 'production' }, { envFile: envFile(`JWT_SECRET=${'z'.repeat(40)}\n`) })).toThrow(/^config: JWT_SECRET \(from \.env\) is invalid/);
  });

  it('accepts .env.example copied as it is', () => {
    expect(loadConfig({ DEV_SECRET_FILE: join(dir, 'envfile', 'dev-secret') }, { envFile: '.env.example' })).toMatchObject({ env: 'development', host: '127.0.0.1', port: 4000 });
  });

  it('is optional', () => {
    expect(loadConfig({ DEV_SECRET_FILE: join(dir, 'envfile', 'dev-secret') }, { envFile: join(dir, 'missing.env') }).port).toBe(4000);
  });
});

describe('documentation', () => {
  it('lists every setting in the README table and in .env.example', () => {
    const source = readFileSync('src/config.ts', 'utf8');
    const names = [...source.slice(source.indexOf('const schema = z'), source.indexOf('.superRefine(')).matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(50);
    const readme = readFileSync('README.md', 'utf8');
    const example = readFileSync('.env.example', 'utf8');
    expect(names.filter((n) => !readme.includes(`| \`${n}\` |`))).toEqual([]);
    expect(names.filter((n) => !new RegExp(`^#? ?${n}=`, 'm').test(example))).toEqual([]);
  });
});
