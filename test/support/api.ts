import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { startApi } from '../../src/api.js';
import { startWorker, type RunningWorker } from '../../src/worker.js';
import { loadConfig } from '../../src/config.js';
import { signToken } from '../../src/graphql/auth.js';
import { closeInfra, connectInfra, type Infra } from '../../src/infra/connect.js';
import { createLogger } from '../../src/infra/logger.js';
import { createServices, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';
import { JWT_SECRET, REDIS_URL } from './env.js';

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface TestApi {
  url: string;
  infra: Infra;
  services: Services;
  /** Sends an operation as the given seller (or anonymously with seller: null). */
  gql<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables> | DocumentNode | string,
    variables?: TVariables,
    options?: { seller?: string | null; token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<TResult>>;
  token(sellerId: string, options?: Parameters<typeof signToken>[2]): Promise<string>;
  /** The worker role, when started with { worker: true }. */
  worker?: RunningWorker;
  /** Stops the HTTP/WebSocket server and starts it again on the same port, with the same database and Redis. */
  restartHttp(whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Request-rate and cost-budget settings for tests that are not about limits: high enough that a
 * test sending hundreds of requests as one seller is never throttled. Shape limits and the
 * per-operation cost maximum stay at their defaults, so every test runs under them.
 */
export const RELAXED_LIMITS: Record<string, string> = {
  SUBSCRIPTIONS_MAX_PER_SELLER: '100000',
  SUBSCRIPTIONS_MAX_PER_CONNECTION: '100000',
  CONCURRENT_OPERATIONS_PER_SELLER: '100000',
  CONCURRENT_OPERATIONS_PER_ADDRESS: '100000',
  WS_CONNECTIONS_MAX_PER_SELLER: '100000',
  WS_CONNECTIONS_MAX_PER_ADDRESS: '100000',
  RATE_LIMIT_PER_SECOND: '100000',
  COST_BUDGET_MAX: '10000000',
  COST_RESTORE_PER_SECOND: '10000000',
};

/**
 * Starts the api in this process on its own database and a random port. Unless env says
 * otherwise, with RELAXED_LIMITS and a REDIS_PREFIX of its own (limits of one test file never
 * count another's requests); `{ limits: 'default' }` keeps the production defaults instead.
 * With { worker: true } it also runs the worker role (outbox relay, jobs).
 */
export async function startTestApi(
  env: Record<string, string> = {},
  options: { limits?: 'relaxed' | 'default'; worker?: boolean; databaseUrl?: string } = {},
): Promise<TestApi> {
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL,
    JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_SIZE: '20',
    HOST: '127.0.0.1',
    REDIS_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    RELAY_POLL_MS: '200',
    RELAY_LOCK_RETRY_MS: '200',
    ...(options.limits === 'default' ? {} : RELAXED_LIMITS),
    ...env,
  });
  const infra = connectInfra(config, createLogger(config.logLevel));
  const services = createServices(infra);
  let api = await startApi(infra, services, { port: 0 });
  const worker = options.worker ? await startWorker(infra, services) : undefined;
  const tokens = new Map<string, string>();

  const token = (sellerId: string, options?: Parameters<typeof signToken>[2]) => signToken(JWT_SECRET, sellerId, options);

  return {
    url: api.url,
    infra,
    services,
    token,
    worker,
    async gql(document, variables, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      const seller = options.seller === undefined ? 'seller-default' : options.seller;
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      else if (seller !== null) {
        if (!tokens.has(seller)) tokens.set(seller, await token(seller));
        headers.authorization = `Bearer ${tokens.get(seller)}`;
      }
      if (typeof document !== 'string' && !('kind' in document)) throw new Error('Untyped document: run npm run codegen');
      const query = typeof document === 'string' ? document : print(document);
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as Omit<GraphQLResponse<never>, 'status' | 'headers'>;
      return { status: res.status, headers: res.headers, ...body } as GraphQLResponse<never>;
    },
    async restartHttp(whileDown) {
      const port = Number(new URL(api.url).port);
      await api.stop();
      await whileDown?.();
      api = await startApi(infra, services, { port });
    },
    async stop() {
      await worker?.stop();
      await api.stop();
      // BullMQ keeps queues and jobs in Redis: remove them when the prefix is this instance's own
      if (env.REDIS_PREFIX === undefined) await dropKeys(infra.redis, `${config.redisPrefix}:`);
      await closeInfra(infra);
      await database.drop();
    },
  };
}

/** Deletes the keys under a prefix; gives up quietly after 2 s (a test may have stopped its Redis). */
async function dropKeys(redis: Infra['redis'], prefix: string): Promise<void> {
  const drop = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  };
  await Promise.race([drop().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}
