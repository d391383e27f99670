import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { REDIS_URL } from '../support/env.js';
import { startMain, type RunningProcess } from '../support/process.js';
import { sellerNodeId } from '../support/ids.js';

// each test spawns node with the TypeScript loader, which compiles the sources: slow on a busy machine
const dir = mkdtempSync(join(tmpdir(), 'amused-process-'));
const DEV_SECRET_FILE = join(dir, 'var', 'dev-secret');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let proc: RunningProcess;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase();
  // as `npm start` on a fresh clone: no NODE_ENV, no HOST, no JWT_SECRET
  proc = startMain({ DATABASE_URL: database.url, REDIS_URL, PORT: '0', LOG_LEVEL: 'info', DEV_SECRET_FILE, REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}`, ROLE: 'api' });
  const { host, port } = JSON.parse(await proc.waitForLine(/api listening/, 150_000)) as { host: string; port: number };
  expect(host).toBe('127.0.0.1');
  url = `http://127.0.0.1:${port}`;
}, 180_000);
afterAll(async () => {
  proc?.child.kill('SIGTERM');
  await proc?.exited;
  await database?.drop();
});

/** `npm run token`, as a developer runs it in the same checkout. */
function npmRunToken(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'scripts/token.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

describe('a development start without settings', () => {
  it('listens on 127.0.0.1 only and signs with a secret it made in DEV_SECRET_FILE; npm run token reads it', async () => {
    const secret = readFileSync(DEV_SECRET_FILE, 'utf8').trim();
    expect(secret).toMatch(/^[\w-]{43}$/);
    const token = npmRunToken({ DEV_SECRET_FILE }, '--seller', 'dev-seller');
    expect(token.code).toBe(0);
    await jwtVerify(token.stdout, new TextEncoder().encode(secret));
    const { exp, iat } = decodeJwt(token.stdout);
    expect(exp! - iat!).toBe(12 * 3600);
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.stdout}` }, body: JSON.stringify({ query: '{ viewer { id } }' }) });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ viewer: { id: sellerNodeId('dev-seller') } });
  }, 120_000);

  it('never writes a ?token= to the request log', async () => {
    const token = npmRunToken({ DEV_SECRET_FILE }, '--seller', 'logged-seller').stdout;
    const marker = randomBytes(4).toString('hex');
    // a 4xx is logged at the default level (a success only at debug)
    await fetch(`${url}/no-such-page?token=${token}&marker=${marker}`);
    const line = await proc.waitForLine(new RegExp(`"url":"[^"]*${marker}`));
    expect(line).toContain('token=[redacted]');
    expect(proc.output()).not.toContain(token);
    expect(proc.output()).not.toContain(token.split('.')[2]); // not even the signature
  }, 120_000);
});

describe('a production start', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/never-reached', WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };

  it.each([
    ["docker-compose.yml's example JWT_SECRET", { JWT_SECRET: 'change-me-to-a-32-byte-or-longer-secret!!' }, /^config: JWT_SECRET is invalid: is a published example value/],
    ['32 times x', { JWT_SECRET: 'x'.repeat(32) }, /^config: JWT_SECRET is invalid: is too weak/],
    ['AUTH_MODE=gateway without GATEWAY_SECRET', { AUTH_MODE: 'gateway' }, /^config: GATEWAY_SECRET is missing/],
    ['WEBHOOK_ALLOW_PRIVATE=true', { JWT_SECRET: randomBytes(32).toString('base64'), WEBHOOK_ALLOW_PRIVATE: 'true' }, /^config: WEBHOOK_ALLOW_PRIVATE is invalid/],
  ])('refuses to start with %s', async (_name, env, message) => {
    const refused = startMain({ ...production, ...env });
    expect((await refused.exited).code).toBe(1);
    expect(refused.output().trim()).toMatch(message);
  }, 120_000);

  it('makes npm run token refuse the same', () => {
    const run = npmRunToken({ ...production, JWT_SECRET: 'change-me-to-a-32-byte-or-longer-secret!!' }, '--seller', 'x');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^config: JWT_SECRET is invalid/);
  }, 120_000);
});
