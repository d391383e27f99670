import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/graphql/auth.js';
import { testDatabaseName } from '../support/database.js';
import { PG_ADMIN_URL, REDIS_URL, databaseUrl } from '../support/env.js';
import { startMain, type RunningProcess } from '../support/process.js';
import { eventually, subscribeWs, wsClient } from '../support/subscriptions.js';
import { buildKustomization, containersOf, environmentOf, exampleSecrets, overlayDir, type Manifest } from './kustomize.js';

const manifests = buildKustomization(overlayDir('production'));
const secrets = exampleSecrets();
const envOf = (kind: string, name: string) => {
  const workload = manifests.find((m): m is Manifest => m.kind === kind && m.metadata.name === name)!;
  return environmentOf(containersOf(workload)[0]!, manifests, secrets);
};

const dbName = testDatabaseName();
const blobDir = mkdtempSync(join(tmpdir(), 'amused-as-deployed-'));
/** Only what points the pods at this test's own database, Redis prefix, files and loopback ports. */
const local = {
  DATABASE_URL: databaseUrl(dbName),
  REDIS_URL,
  REDIS_PREFIX: `test-deployed-${randomBytes(4).toString('hex')}`,
  BLOB_DIR: blobDir,
  HOST: '127.0.0.1',
  PORT: '0',
};
const apiEnv: Record<string, string> = { ...envOf('Deployment', 'amused-api'), ...local };
const workerEnv: Record<string, string> = { ...envOf('Deployment', 'amused-worker'), ...local };
const processes: RunningProcess[] = [];
let urlA: string;
let urlB: string;

/** The migration Job's command with the Job's environment (the source, as `npm run db:migrate` runs it). */
function runMigrationJob(): Promise<{ code: number | null; output: string }> {
  const env = { ...envOf('Job', 'amused-migrate'), DATABASE_URL: local.DATABASE_URL };
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'scripts/db-migrate.ts'], { env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

async function startApi(): Promise<string> {
  const proc = startMain(apiEnv);
  processes.push(proc);
  const { port } = JSON.parse(await proc.waitForLine(/api listening/, 150_000)) as { port: number };
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  const migration = await runMigrationJob();
  expect(migration.output).toMatch(/Applied \d+ migration/);
  expect(migration.code).toBe(0);
  const worker = startMain(workerEnv);
  processes.push(worker);
  // a loaded shared machine can take a minute or more to start a process
  await worker.waitForLine(/relay: leading/, 150_000);
  [urlA, urlB] = await Promise.all([startApi(), startApi()]);
}, 400_000);

afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  const exits = await Promise.all(processes.map((p) => p.exited));
  const client = new pg.Client(PG_ADMIN_URL);
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);
  await client.end();
  rmSync(blobDir, { recursive: true, force: true });
  expect(exits.map((e) => e.code)).toEqual(processes.map(() => 0));
}, 120_000);

describe('two api pods and one worker pod, configured as deploy/kubernetes/overlays/production configures them', () => {
  it('runs the roles the manifests name, in production mode, without migrating at start', () => {
    expect(apiEnv).toMatchObject({ ROLE: 'api', NODE_ENV: 'production', MIGRATE_ON_START: 'false' });
    expect(workerEnv).toMatchObject({ ROLE: 'worker', NODE_ENV: 'production', MIGRATE_ON_START: 'false' });
    // the api pods did not run the migrations: the Job did
    for (const p of processes) expect(p.output()).not.toContain('applied migrations');
  });

  it('delivers a mutation made through one api pod to a subscription on the other', async () => {
    const seller = `deployed-${randomBytes(3).toString('hex')}`;
    const token = `Bearer ${await signToken(apiEnv.JWT_SECRET!, seller)}`;
    const post = (url: string, query: string) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query }) }).then(
        (r) => r.json() as Promise<{ data: { events: { nodes: { cursor: string }[] } } }>,
      );
    const mutate = (name: string) => post(urlA, `mutation { createProduct(input: {name: "${name}", price: "2.00", category: "Deployed"}) { product { id } } }`);

    await mutate('First');
    const cursor = (await post(urlA, '{ events(first: 1) { nodes { cursor } } }')).data.events.nodes[0]!.cursor;
    const client = wsClient(urlB, token);
    const sub = subscribeWs<{ sequence: number; eventType: string }>(client, 'subscription ($after: String) { productEvents(after: $after) { sequence eventType } }', { after: cursor });
    const redis = new Redis(REDIS_URL);
    await eventually(async () => ((await redis.call('PUBSUB', 'NUMSUB', `${local.REDIS_PREFIX}:events:${seller}`)) as [string, number])[1] >= 1, 10_000, 'B subscribed');
    await redis.quit();
    for (let i = 0; i < 3; i++) await mutate(`Product ${i}`);

    await sub.waitFor((r) => r.values.at(-1)?.sequence === 4, 15_000, 'events from A on B');
    expect(sub.values).toEqual([2, 3, 4].map((sequence) => ({ sequence, eventType: 'PRODUCT_CREATED' })));
    sub.unsubscribe();
    await client.dispose();
  }, 60_000);
});
