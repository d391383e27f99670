import { z } from 'zod';

const DEV_JWT_SECRET = 'amused-local-development-secret-not-for-production';

const boolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
/** Comma-separated origins such as https://app.example.com (scheme, host and port; no path). */
const origins = z
  .string()
  .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
  .refine((list) => list.every((o) => URL.canParse(o) && new URL(o).origin === o), {
    message: 'must be comma-separated origins like https://app.example.com (no path, no trailing slash)',
  });

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    ROLE: z.enum(['all', 'api', 'live', 'worker']).default('all'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/ })
      .default('postgresql://postgres@127.0.0.1:5432/amused'),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().regex(/^[\w:.-]*$/).default('amused'),
    AUTH_MODE: z.enum(['jwt', 'gateway']).default('jwt'),
    JWT_SECRET: z.string().optional(),
    JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
    MIGRATE_ON_START: boolean.default(true),
    RELAY_POLL_MS: positiveInt.default(1000),
    RELAY_LOCK_RETRY_MS: positiveInt.default(1000),
    BLOB_DIR: z.string().min(1).default('./var/blobs'),
    IMPORT_MAX_BYTES: positiveInt.default(100 * 1024 * 1024),
    IMPORT_BATCH_ROWS: positiveInt.max(5000).default(500),
    BULK_JOBS_PER_MINUTE: positiveInt.default(5),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    WEBHOOK_ALLOW_PRIVATE: boolean.default(false),
    WEBHOOK_TIMEOUT_MS: positiveInt.default(5000),
    SUBSCRIPTION_BUFFER_EVENTS: positiveInt.default(1000),
    SUBSCRIPTION_BUFFER_BYTES: positiveInt.default(1_048_576),
    RESERVATION_SWEEP_INTERVAL_MS: positiveInt.default(30_000),
    RATE_LIMIT_PER_SECOND: positiveInt.default(100),
    RATE_LIMIT_BURST: nonNegativeInt.default(50),
    QUERY_MAX_COST: positiveInt.default(1000),
    COST_BUDGET_MAX: positiveInt.default(1000),
    COST_RESTORE_PER_SECOND: positiveInt.default(50),
    QUERY_MAX_DEPTH: positiveInt.default(12),
    QUERY_MAX_ALIASES: nonNegativeInt.default(30),
    QUERY_MAX_ROOT_FIELDS: positiveInt.default(20),
    QUERY_MAX_TOKENS: positiveInt.default(5000),
    SUBSCRIPTIONS_MAX_PER_SELLER: positiveInt.default(100),
    SUBSCRIPTIONS_MAX_PER_CONNECTION: positiveInt.default(20),
    CORS_ORIGINS: origins.default([]),
    APQ_TTL_SECONDS: positiveInt.default(86_400),
  })
  .superRefine((env, ctx) => {
    if (env.QUERY_MAX_COST > env.COST_BUDGET_MAX) {
      // a query costing more than the whole budget could never run
      ctx.addIssue({ code: 'custom', path: ['QUERY_MAX_COST'], message: 'must not exceed COST_BUDGET_MAX' });
    }
    if (env.AUTH_MODE !== 'jwt' || env.JWKS_URL) return;
    if (env.JWT_SECRET === undefined && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production (or set JWKS_URL)' });
    } else if (env.JWT_SECRET !== undefined && env.NODE_ENV === 'production' && Buffer.byteLength(env.JWT_SECRET) < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be at least 32 bytes in production' });
    }
  });

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  /** live: an api that serves only subscriptions (WebSocket, SSE), scaled apart from requests. */
  role: 'all' | 'api' | 'live' | 'worker';
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  auth: Readonly<{
    mode: 'jwt' | 'gateway';
    secret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
  }>;
  logLevel: string;
  shutdownTimeoutMs: number;
  migrateOnStart: boolean;
  relay: Readonly<{ pollMs: number; lockRetryMs: number }>;
  jobs: Readonly<{ blobDir: string; importMaxBytes: number; importBatchRows: number; bulkPerMinute: number; lockMs: number }>;
  webhooks: Readonly<{ allowPrivate: boolean; timeoutMs: number }>;
  subscriptions: Readonly<{ bufferEvents: number; bufferBytes: number }>;
  /** How often a worker looks for expired reservations whose expiry job was lost. */
  reservationSweepIntervalMs: number;
  limits: LimitsConfig;
  /** Origins allowed to call the API from a browser (CORS); empty: same-origin only. */
  corsOrigins: readonly string[];
  /** How long an automatic persisted query stays in Redis after it was registered. */
  apqTtlSeconds: number;
}>;

/** Per-seller (per-IP when anonymous) limits; see README "Limits". */
export type LimitsConfig = Readonly<{
  requestsPerSecond: number;
  /** Extra requests allowed above requestsPerSecond, refilled every 10 s. */
  requestBurst: number;
  maxQueryCost: number;
  costBudget: Readonly<{ maximumAvailable: number; restoreRate: number }>;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxTokens: number;
  maxSubscriptionsPerSeller: number;
  maxSubscriptionsPerConnection: number;
}>;

export class ConfigError extends Error {}

/** Reads and validates the environment. The only reader of process.env in the application. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = present[name] === undefined ? 'missing' : 'invalid';
    throw new ConfigError(`config: ${name} is ${value}: ${issue.message}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    role: e.ROLE,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    auth: Object.freeze({
      mode: e.AUTH_MODE,
      secret: e.JWT_SECRET ?? (e.JWKS_URL ? undefined : DEV_JWT_SECRET),
      jwksUrl: e.JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    }),
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    migrateOnStart: e.MIGRATE_ON_START,
    relay: Object.freeze({ pollMs: e.RELAY_POLL_MS, lockRetryMs: e.RELAY_LOCK_RETRY_MS }),
    jobs: Object.freeze({
      blobDir: e.BLOB_DIR,
      importMaxBytes: e.IMPORT_MAX_BYTES,
      importBatchRows: e.IMPORT_BATCH_ROWS,
      bulkPerMinute: e.BULK_JOBS_PER_MINUTE,
      lockMs: e.JOB_LOCK_MS,
    }),
    webhooks: Object.freeze({ allowPrivate: e.WEBHOOK_ALLOW_PRIVATE, timeoutMs: e.WEBHOOK_TIMEOUT_MS }),
    subscriptions: Object.freeze({ bufferEvents: e.SUBSCRIPTION_BUFFER_EVENTS, bufferBytes: e.SUBSCRIPTION_BUFFER_BYTES }),
    reservationSweepIntervalMs: e.RESERVATION_SWEEP_INTERVAL_MS,
    limits: Object.freeze({
      requestsPerSecond: e.RATE_LIMIT_PER_SECOND,
      requestBurst: e.RATE_LIMIT_BURST,
      maxQueryCost: e.QUERY_MAX_COST,
      costBudget: Object.freeze({ maximumAvailable: e.COST_BUDGET_MAX, restoreRate: e.COST_RESTORE_PER_SECOND }),
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxRootFields: e.QUERY_MAX_ROOT_FIELDS,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxSubscriptionsPerSeller: e.SUBSCRIPTIONS_MAX_PER_SELLER,
      maxSubscriptionsPerConnection: e.SUBSCRIPTIONS_MAX_PER_CONNECTION,
    }),
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    apqTtlSeconds: e.APQ_TTL_SECONDS,
  });
}
