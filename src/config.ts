import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { readOrCreateLocalSecret } from './infra/local-secret.js';

/**
 * Secrets that were ever written in this repository (old source default, docker-compose, docs,
 * tests): public, so production refuses them.
 */
const KNOWN_EXAMPLE_SECRETS = new Set([
  'amused-local-development-secret-not-for-production',
  'change-me-to-a-32-byte-or-longer-secret!!',
  'test-secret-that-is-at-least-32-bytes-long',
]);
/** Fewer distinct characters than this is a pattern, not a secret ("xxxx...", "abababab..."). */
const MIN_DISTINCT_SECRET_CHARACTERS = 8;

/** Why the secret must not guard production, or null when it may. */
function weakSecretReason(secret: string): string | null {
  if (KNOWN_EXAMPLE_SECRETS.has(secret) || /change-?me|example/i.test(secret)) return 'is a published example value: generate one (openssl rand -base64 32)';
  if (Buffer.byteLength(secret) < 32) return 'must be at least 32 bytes in production';
  if (new Set(secret).size < MIN_DISTINCT_SECRET_CHARACTERS) return 'is too weak (a repeated pattern): generate one (openssl rand -base64 32)';
  return null;
}

/** A 32-byte AES key given as base64 (or base64url). */
const aesKey = z
  .string()
  .transform((v) => Buffer.from(v.trim(), 'base64'))
  .refine((key) => key.length === 32, { message: 'must be 32 bytes in base64 (openssl rand -base64 32)' });
const aesKeys = z
  .string()
  .transform((v) => v.split(',').map((k) => k.trim()).filter((k) => k !== '').map((k) => Buffer.from(k, 'base64')))
  .refine((keys) => keys.every((k) => k.length === 32), { message: 'must be comma-separated 32-byte keys in base64' });

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

/**
 * Express's 'trust proxy': true or false, a hop count, or comma-separated addresses, subnets and
 * the names loopback, linklocal, uniquelocal. It decides whose X-Forwarded-For gives req.ip,
 * which the per-address limits count by.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v))
  .refine(
    (v) =>
      typeof v !== 'string' ||
      v.split(',').every((part) => {
        const entry = part.trim();
        const [address, bits, ...rest] = entry.split('/');
        return ['loopback', 'linklocal', 'uniquelocal'].includes(entry) || (isIP(address ?? '') !== 0 && rest.length === 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
      }),
    { message: 'must be true, false, a hop count, or comma-separated addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal' },
  );

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    ROLE: z.enum(['all', 'api', 'live', 'worker']).default('all'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/ })
      .default('postgresql://postgres@127.0.0.1:5432/amused'),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    DATABASE_ACQUIRE_TIMEOUT_MS: positiveInt.default(10_000),
    DATABASE_MAX_WAITING: positiveInt.default(1_000),
    STOCK_HOLD_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(100).default(1),
    STOCK_HOLD_BATCH_MAX: positiveInt.max(10_000).default(500),
    STOCK_HOLD_BATCHES_IN_FLIGHT: positiveInt.max(16).default(1),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().regex(/^[\w:.-]*$/).default('amused'),
    AUTH_MODE: z.enum(['jwt', 'gateway']).default('jwt'),
    JWT_SECRET: z.string().optional(),
    DEV_SECRET_FILE: z.string().min(1).default('./var/dev-secret'),
    GATEWAY_SECRET: z.string().optional(),
    JWT_MAX_LIFETIME_SECONDS: positiveInt.default(86_400),
    METRICS_TOKEN: z.string().min(16).optional(),
    GRAPHIQL_ENABLED: boolean.optional(),
    INTROSPECTION_ENABLED: boolean.optional(),
    EXPORT_RETENTION_HOURS: positiveInt.default(168),
    IDEMPOTENCY_KEY_TTL_HOURS: positiveInt.default(24),
    RETENTION_SWEEP_INTERVAL_MS: positiveInt.default(3_600_000),
    WEBHOOK_SECRET_KEY: aesKey.optional(),
    WEBHOOK_SECRET_KEYS_OLD: aesKeys.default([]),
    WEBHOOK_DISABLE_AFTER_HOURS: positiveInt.default(48),
    WEBHOOK_DISABLE_AFTER_FAILURES: positiveInt.default(1000),
    HTTP_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(120_000),
    HTTP_KEEPALIVE_TIMEOUT_MS: positiveInt.default(5000),
    WS_IDLE_TIMEOUT_MS: positiveInt.default(300_000),
    JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    LOG_SLOW_REQUEST_MS: positiveInt.default(1000),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
    MIGRATE_ON_START: boolean.default(true),
    WASM_LIFTOFF_ONLY: boolean.optional(),
    RELAY_POLL_MS: positiveInt.default(200),
    RELAY_LOCK_RETRY_MS: positiveInt.default(1000),
    EVENT_RETENTION_DAYS: positiveInt.default(90),
    EVENT_TRIM_INTERVAL_MS: positiveInt.default(3_600_000),
    BLOB_DIR: z.string().min(1).default('./var/blobs'),
    IMPORT_MAX_BYTES: positiveInt.default(100 * 1024 * 1024),
    IMPORT_BATCH_ROWS: positiveInt.max(5000).default(1000),
    BULK_JOBS_PER_MINUTE: positiveInt.default(5),
    JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    INTELLIGENCE_RECOMPUTE_DELAY_MS: positiveInt.default(5000),
    WEBHOOK_ALLOW_PRIVATE: boolean.default(false),
    WEBHOOK_TIMEOUT_MS: positiveInt.default(5000),
    SUBSCRIPTION_BUFFER_EVENTS: positiveInt.default(1000),
    SUBSCRIPTION_BUFFER_BYTES: positiveInt.default(1_048_576),
    RESERVATION_SWEEP_INTERVAL_MS: positiveInt.default(30_000),
    SEARCH_INDEX_INTERVAL_MS: positiveInt.default(1000),
    SEARCH_INDEX_BATCH_ROWS: positiveInt.max(50_000).default(2000),
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
    TRUST_PROXY: trustProxy.default('loopback'),
    APQ_TTL_SECONDS: positiveInt.default(86_400),
    APQ_MAX_QUERY_BYTES: positiveInt.default(65_536),
    APQ_MAX_PER_SELLER: positiveInt.default(1000),
    CONCURRENT_OPERATIONS_PER_SELLER: positiveInt.default(4),
    CONCURRENT_OPERATIONS_PER_ADDRESS: positiveInt.default(2),
    CONCURRENT_OPERATIONS_QUEUE_MS: nonNegativeInt.default(2000),
    WS_CONNECTIONS_MAX_PER_SELLER: positiveInt.default(20),
    WS_CONNECTIONS_MAX_PER_ADDRESS: positiveInt.default(50),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().min(3).default('Amused <orders@amused.localhost>'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
    REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
    AUTH_RECHECK_MS: positiveInt.max(60_000).default(2000),
    REFRESH_REUSE_GRACE_MS: nonNegativeInt.max(60_000).default(10_000),
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
    SIGN_IN_PER_EMAIL_PER_MINUTE: positiveInt.default(10),
    SIGN_IN_PER_ADDRESS_PER_MINUTE: positiveInt.default(30),
  })
  .superRefine((env, ctx) => {
    if (env.QUERY_MAX_COST > env.COST_BUDGET_MAX) {
      // a query costing more than the whole budget could never run
      ctx.addIssue({ code: 'custom', path: ['QUERY_MAX_COST'], message: 'must not exceed COST_BUDGET_MAX' });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_MS'], message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS' });
    }
    if (env.NODE_ENV !== 'production') return;
    // production fails closed: nothing that lets a stranger in may come from a default
    if (env.AUTH_MODE === 'jwt' && !env.JWKS_URL) {
      if (env.JWT_SECRET === undefined) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production (or set JWKS_URL)' });
      const weak = env.JWT_SECRET === undefined ? null : weakSecretReason(env.JWT_SECRET);
      if (weak) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: weak });
    }
    if (env.AUTH_MODE === 'gateway') {
      if (env.GATEWAY_SECRET === undefined) {
        ctx.addIssue({ code: 'custom', path: ['GATEWAY_SECRET'], message: 'is required in production with AUTH_MODE=gateway (the gateway sends it in X-Gateway-Secret)' });
      } else {
        const weak = weakSecretReason(env.GATEWAY_SECRET);
        if (weak) ctx.addIssue({ code: 'custom', path: ['GATEWAY_SECRET'], message: weak });
      }
    }
    if (env.WEBHOOK_ALLOW_PRIVATE) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_ALLOW_PRIVATE'], message: 'must not be true in production' });
    if (env.WEBHOOK_SECRET_KEY === undefined) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET_KEY'], message: 'is required in production (openssl rand -base64 32)' });
    if (env.METRICS_TOKEN !== undefined) {
      const weak = weakSecretReason(env.METRICS_TOKEN);
      if (weak) ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: weak });
    }
  });

/** The names of every setting the app reads (for checks that deployment files set only these). */
export const SETTING_NAMES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  /** live: an api that serves only subscriptions (WebSocket, SSE), scaled apart from requests. */
  role: 'all' | 'api' | 'live' | 'worker';
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** A request that gets no pooled connection within acquireTimeoutMs, or finds maxWaiting already waiting, is OVERLOADED. */
  databaseAdmission: Readonly<{ acquireTimeoutMs: number; maxWaiting: number }>;
  /** Concurrent stock holds of one seller coalesce for windowMs into one transaction of at most max holds, inFlight such transactions at once. */
  stockHoldBatch: Readonly<{ windowMs: number; max: number; inFlight: number }>;
  redisUrl: string;
  redisPrefix: string;
  auth: Readonly<{
    mode: 'jwt' | 'gateway';
    secret?: string;
    /** With AUTH_MODE=gateway: every request must carry it in X-Gateway-Secret. */
    gatewaySecret?: string;
    /** Tokens must carry exp, at most this far after iat (or after now, without iat). */
    maxLifetimeSeconds: number;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
  }>;
  logLevel: string;
  /** pretty: one readable line per entry (default in development); json: one JSON object per line. */
  logFormat: 'pretty' | 'json';
  /** A request taking this long or longer is logged at warn. */
  slowRequestMs: number;
  shutdownTimeoutMs: number;
  migrateOnStart: boolean;
  /**
   * WebAssembly (Prisma's query compiler) compiled by V8's baseline compiler only, never optimized:
   * about 70 MB less resident memory for about 9% more CPU per Prisma query. Default: the worker only.
   */
  wasmLiftoffOnly: boolean;
  relay: Readonly<{ pollMs: number; lockRetryMs: number }>;
  eventRetention: Readonly<{ days: number; trimIntervalMs: number }>;
  jobs: Readonly<{ blobDir: string; importMaxBytes: number; importBatchRows: number; bulkPerMinute: number; lockMs: number }>;
  /** How long after a seller's first change its forecasts, pairs and classifier are recomputed (at most once per this time). */
  intelligence: Readonly<{ recomputeDelayMs: number }>;
  webhooks: Readonly<{
    allowPrivate: boolean;
    timeoutMs: number;
    /** AES-256-GCM key that encrypts signing secrets at rest; older keys still decrypt. */
    secretKey: Buffer;
    oldSecretKeys: readonly Buffer[];
    disableAfterHours: number;
    disableAfterFailures: number;
  }>;
  /** /metrics needs `Authorization: Bearer <token>` when set; without one it is served outside production only. */
  metricsToken?: string;
  graphiqlEnabled: boolean;
  introspectionEnabled: boolean;
  retention: Readonly<{ exportHours: number; idempotencyKeyHours: number; sweepIntervalMs: number }>;
  /** Slow-client bounds of the HTTP server and the WebSocket endpoint. */
  timeouts: Readonly<{ headersMs: number; requestMs: number; keepAliveMs: number; webSocketIdleMs: number }>;
  subscriptions: Readonly<{ bufferEvents: number; bufferBytes: number }>;
  /** How often a worker looks for expired reservations whose expiry job was lost. */
  reservationSweepIntervalMs: number;
  searchIndex: Readonly<{ intervalMs: number; batchRows: number }>;
  limits: LimitsConfig;
  /** Origins allowed to call the API from a browser (CORS); empty: same-origin only. */
  corsOrigins: readonly string[];
  /** Express's 'trust proxy': whose X-Forwarded-For names the client address. */
  trustProxy: boolean | number | string;
  /** How long an automatic persisted query stays in Redis after it was registered. */
  apqTtlSeconds: number;
  /** Where the worker sends email (default: Mailpit of docker-compose.yml), and as whom. */
  smtp: Readonly<{ url: string; from: string }>;
  accounts: AccountsConfig;
}>;

/** Users, sessions and API keys (issue 18). */
export type AccountsConfig = Readonly<{
  /** Lifetime of an access JWT handed out by signIn and refreshSession. */
  accessTokenSeconds: number;
  refreshTokenDays: number;
  /** A refresh token presented again this soon after its rotation, before its successor was used, is a concurrent refresh (two tabs), not a theft. */
  refreshReuseGraceMs: number;
  /** A session or API key seen valid is looked up again after this long: revocation takes effect within it. */
  recheckMs: number;
  passwordMinLength: number;
  /** signIn and refreshSession attempts per email and per client address, per minute. */
  signInPerEmailPerMinute: number;
  signInPerAddressPerMinute: number;
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
  /** Operations of one seller (of one address, without a token) running at once in one process, and how long one waits in line. */
  concurrentOperations: Readonly<{ perSeller: number; perAddress: number; queueMs: number }>;
  /** Open WebSocket connections per seller and per client address, in one process. */
  maxWebSocketsPerSeller: number;
  maxWebSocketsPerAddress: number;
  /** Automatic persisted queries: largest query stored, and how many one seller may hold. */
  persistedQueries: Readonly<{ maxQueryBytes: number; maxPerSeller: number }>;
}>;

export class ConfigError extends Error {}

type Environment = Record<string, string | undefined>;

/**
 * The variables of an env file (default .env in the working directory) under the real
 * environment: a variable set (non-empty) in the environment wins over the file.
 */
export function environmentWithFile(file: string, env: Environment = process.env): { env: Environment; fromFile: Set<string> } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { env, fromFile: new Set() };
    throw new ConfigError(`config: cannot read ${file}: ${(error as Error).message}`);
  }
  const fileVars = parseEnv(text);
  const fromFile = new Set(Object.keys(fileVars).filter((k) => env[k] === undefined || env[k] === ''));
  return { env: { ...env, ...Object.fromEntries([...fromFile].map((k) => [k, fileVars[k]])) }, fromFile };
}

/** AES key for webhook secrets in development: derived from the local development secret. */
function developmentWebhookKey(devSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', devSecret, 'amused', 'webhook secret encryption', 32));
}

/**
 * Reads and validates the environment, with the env file (.env in the working directory unless
 * options.envFile says otherwise) under it; an explicit env without options.envFile is used as
 * it is. The only reader of process.env in the application.
 */
export function loadConfig(given?: Environment, options: { envFile?: string } = {}): Config {
  const { env, fromFile } =
    given && options.envFile === undefined ? { env: given, fromFile: new Set<string>() } : environmentWithFile(options.envFile ?? '.env', given ?? process.env);
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = present[name] === undefined ? 'missing' : 'invalid';
    throw new ConfigError(`config: ${name}${fromFile.has(name) ? ' (from .env)' : ''} is ${value}: ${issue.message}`);
  }
  const e = parsed.data;
  // outside production a missing secret is made once per checkout (production refused above)
  let devSecret: string | undefined;
  const localSecret = () => (devSecret ??= readOrCreateLocalSecret(e.DEV_SECRET_FILE));
  const jwtSecret = e.JWT_SECRET ?? (e.JWKS_URL || e.AUTH_MODE !== 'jwt' ? undefined : localSecret());
  const production = e.NODE_ENV === 'production';
  return Object.freeze({
    env: e.NODE_ENV,
    role: e.ROLE,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseAdmission: Object.freeze({ acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS, maxWaiting: e.DATABASE_MAX_WAITING }),
    stockHoldBatch: Object.freeze({ windowMs: e.STOCK_HOLD_BATCH_WINDOW_MS, max: e.STOCK_HOLD_BATCH_MAX, inFlight: e.STOCK_HOLD_BATCHES_IN_FLIGHT }),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    auth: Object.freeze({
      mode: e.AUTH_MODE,
      secret: jwtSecret,
      gatewaySecret: e.GATEWAY_SECRET,
      maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS,
      jwksUrl: e.JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    }),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
    slowRequestMs: e.LOG_SLOW_REQUEST_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    migrateOnStart: e.MIGRATE_ON_START,
    wasmLiftoffOnly: e.WASM_LIFTOFF_ONLY ?? e.ROLE === 'worker',
    relay: Object.freeze({ pollMs: e.RELAY_POLL_MS, lockRetryMs: e.RELAY_LOCK_RETRY_MS }),
    eventRetention: Object.freeze({ days: e.EVENT_RETENTION_DAYS, trimIntervalMs: e.EVENT_TRIM_INTERVAL_MS }),
    jobs: Object.freeze({
      blobDir: e.BLOB_DIR,
      importMaxBytes: e.IMPORT_MAX_BYTES,
      importBatchRows: e.IMPORT_BATCH_ROWS,
      bulkPerMinute: e.BULK_JOBS_PER_MINUTE,
      lockMs: e.JOB_LOCK_MS,
    }),
    intelligence: Object.freeze({ recomputeDelayMs: e.INTELLIGENCE_RECOMPUTE_DELAY_MS }),
    webhooks: Object.freeze({
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      secretKey: e.WEBHOOK_SECRET_KEY ?? developmentWebhookKey(localSecret()),
      oldSecretKeys: Object.freeze([...e.WEBHOOK_SECRET_KEYS_OLD]),
      disableAfterHours: e.WEBHOOK_DISABLE_AFTER_HOURS,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    }),
    metricsToken: e.METRICS_TOKEN,
    graphiqlEnabled: e.GRAPHIQL_ENABLED ?? !production,
    introspectionEnabled: e.INTROSPECTION_ENABLED ?? !production,
    retention: Object.freeze({
      exportHours: e.EXPORT_RETENTION_HOURS,
      idempotencyKeyHours: e.IDEMPOTENCY_KEY_TTL_HOURS,
      sweepIntervalMs: e.RETENTION_SWEEP_INTERVAL_MS,
    }),
    timeouts: Object.freeze({
      headersMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveMs: e.HTTP_KEEPALIVE_TIMEOUT_MS,
      webSocketIdleMs: e.WS_IDLE_TIMEOUT_MS,
    }),
    subscriptions: Object.freeze({ bufferEvents: e.SUBSCRIPTION_BUFFER_EVENTS, bufferBytes: e.SUBSCRIPTION_BUFFER_BYTES }),
    reservationSweepIntervalMs: e.RESERVATION_SWEEP_INTERVAL_MS,
    searchIndex: Object.freeze({ intervalMs: e.SEARCH_INDEX_INTERVAL_MS, batchRows: e.SEARCH_INDEX_BATCH_ROWS }),
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
      concurrentOperations: Object.freeze({
        perSeller: e.CONCURRENT_OPERATIONS_PER_SELLER,
        perAddress: e.CONCURRENT_OPERATIONS_PER_ADDRESS,
        queueMs: e.CONCURRENT_OPERATIONS_QUEUE_MS,
      }),
      maxWebSocketsPerSeller: e.WS_CONNECTIONS_MAX_PER_SELLER,
      maxWebSocketsPerAddress: e.WS_CONNECTIONS_MAX_PER_ADDRESS,
      persistedQueries: Object.freeze({ maxQueryBytes: e.APQ_MAX_QUERY_BYTES, maxPerSeller: e.APQ_MAX_PER_SELLER }),
    }),
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    trustProxy: e.TRUST_PROXY,
    apqTtlSeconds: e.APQ_TTL_SECONDS,
    smtp: Object.freeze({ url: e.SMTP_URL, from: e.MAIL_FROM }),
    accounts: Object.freeze({
      accessTokenSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenDays: e.REFRESH_TOKEN_TTL_DAYS,
      refreshReuseGraceMs: e.REFRESH_REUSE_GRACE_MS,
      recheckMs: e.AUTH_RECHECK_MS,
      passwordMinLength: e.PASSWORD_MIN_LENGTH,
      signInPerEmailPerMinute: e.SIGN_IN_PER_EMAIL_PER_MINUTE,
      signInPerAddressPerMinute: e.SIGN_IN_PER_ADDRESS_PER_MINUTE,
    }),
  });
}
