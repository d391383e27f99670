import { Redis } from 'ioredis';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Config, LimitsConfig } from '../config.js';
import type { Logger } from '../infra/logger.js';
import { actualOperationCost } from './actual-cost.js';
import { sellerCaller, type Caller } from './caller.js';
import { createCostBudget, type CostDecision, type ThrottleStatus } from './cost-budget.js';
import { containsNul, documentContainsNul, nulRefused } from '../graphql/nul-characters.js';
import { cachedOperationCost, cachedOperationShape } from './document-checks.js';
import { queryTooComplex, rateLimited } from './errors.js';
import { createOperationSlots } from './operation-slots.js';
import { createPersistedQueryQuota, type QuotaDecision } from './persisted-query-quota.js';
import { BURST_WINDOW_SECONDS, createRequestRateLimiter, type RateDecision, type UncountedRequest } from './request-rate.js';
import { checkOperationShape, shapeError } from './shape.js';
import { createSubscriptionSlots, type SlotDecision } from './subscription-slots.js';

/** extensions.cost of a response (Shopify's shape). actualQueryCost is null when nothing ran. */
export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/** The outcome of admitOperation: an error to send instead of running, and/or the cost to report. */
export interface Admission {
  error?: GraphQLError;
  cost?: CostExtension;
  /**
   * Frees the caller's operation slot (queries and mutations hold one while they run): call it
   * once the operation finished, whatever happened. Idempotent.
   */
  release?: () => void;
}

/** Whom a limit counts: a Caller, or a seller id. */
export type CallerOrSellerId = Caller | string;

const asCaller = (c: CallerOrSellerId): Caller => (typeof c === 'string' ? sellerCaller(c) : c);

export interface OperationToAdmit {
  caller: Caller;
  schema: GraphQLSchema;
  document: DocumentNode;
  /** The operation of `document` that will run (validated). */
  operation: OperationDefinitionNode;
  variables?: Record<string, unknown> | null;
  /** The request carrying the operation, when its rate is still to count: counted here, with the cost, in one round trip. */
  uncounted?: UncountedRequest;
}

/**
 * Every limit of README "Limits", shared by the HTTP, WebSocket and SSE transports. One per
 * api process; counters live in Redis under `{REDIS_PREFIX}:limits:` so instances share them.
 */
export interface Limits {
  readonly settings: LimitsConfig;
  /** Counts one request (an HTTP request, a WebSocket subscribe message, an SSE request). */
  checkRequestRate(caller: CallerOrSellerId): Promise<RateDecision>;
  /** Counts a deferred request now, unless a step already did (then it is allowed: that step answered). */
  countRequest(uncounted: UncountedRequest): Promise<RateDecision>;
  /** The refusal of a request over its rate (HTTP 429, Retry-After). */
  requestRateError(retryAfterMs: number): GraphQLError;
  /** Takes `cost` points from the caller's budget (negative: gives them back; 0: reads it). */
  chargeQueryCost(caller: CallerOrSellerId, cost: number): Promise<CostDecision>;
  /** Depth, aliases and root fields of a validated operation: the error, or null. */
  checkOperationShape(document: DocumentNode, operation: OperationDefinitionNode): GraphQLError | null;
  /**
   * Everything an operation passes before it runs, for every transport, in order: no U+0000
   * in the document or variables, shape, cost against the per-operation maximum, one of the
   * caller's concurrent-operation slots (queries and mutations; it may wait in line), then
   * the caller's budget (charged the requested cost). The document walks (NUL, shape, cost)
   * run once per parsed document, not per request. With `uncounted`, the request's rate is
   * counted too, before any other refusal is given, and in the budget's round trip.
   */
  admitOperation(operation: OperationToAdmit): Promise<Admission>;
  /**
   * After an admitted operation ran: gives back what its result did not use (a page shorter
   * than `first`) and returns the cost to report. Skip it for subscriptions.
   */
  settleOperation(operation: OperationToAdmit, cost: CostExtension, data: Record<string, unknown> | null | undefined): Promise<CostExtension>;
  /** One of the seller's concurrent subscriptions (all instances) and of the connection's. */
  acquireSubscriptionSlot(sellerId: string, connectionId: string): Promise<SlotDecision>;
  /** Counts an automatic persisted query the seller registers (APQ_MAX_PER_SELLER). */
  registerPersistedQuery(sellerId: string, hash: string): Promise<QuotaDecision>;
  /** Frees every slot of a closed connection. */
  releaseConnectionSlots(connectionId: string): Promise<void>;
  /** The Redis connection limits use (fails fast instead of queueing while Redis is away). */
  readonly redis: Redis;
  close(): Promise<void>;
}

/** True when a root field of the operation, fragments included, is __schema or __type. */
function selectsIntrospection(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
      if (s.kind === Kind.INLINE_FRAGMENT) return inSet(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      return fragment ? inSet(fragment.selectionSet) : false;
    });
  return inSet(operation.selectionSet);
}

/**
 * Its own Redis connection: no offline queue and a command timeout, so while Redis is away a
 * limit check fails at once (and falls back to in-process counting) instead of holding the
 * request until Redis returns.
 */
function connectLimitsRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: 'amused-limits',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    lazyConnect: true,
    // every request charges its budget here: the charges of one event-loop turn go in one write
    enableAutoPipelining: true,
  });
  let lastWarning = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    log.warn({ err }, 'limits: Redis connection error');
  });
  return redis;
}

export async function createLimits(config: Pick<Config, 'redisUrl' | 'redisPrefix' | 'limits' | 'apqTtlSeconds'>, log: Logger): Promise<Limits> {
  const settings = config.limits;
  const prefix = config.redisPrefix;
  const redis = connectLimitsRedis(config.redisUrl, log);
  await redis.connect().catch((err: unknown) => log.warn({ err }, 'limits: Redis not reachable at start; counting in process until it is'));

  const rate = createRequestRateLimiter(redis, { prefix, requestsPerSecond: settings.requestsPerSecond, burst: settings.requestBurst });
  const budget = createCostBudget(redis, { prefix, ...settings.costBudget, log });
  const operationSlots = createOperationSlots(settings.concurrentOperations);
  const persistedQueries = createPersistedQueryQuota(redis, { prefix, ttlSeconds: config.apqTtlSeconds, maxPerSeller: settings.persistedQueries.maxPerSeller, log });
  const slots = createSubscriptionSlots(redis, {
    prefix,
    maxPerSeller: settings.maxSubscriptionsPerSeller,
    maxPerConnection: settings.maxSubscriptionsPerConnection,
    log,
  });

  const checkRate = (caller: Caller) => rate.check(caller);
  const countRequest = async (uncounted: UncountedRequest): Promise<RateDecision> => (uncounted.take() ? checkRate(uncounted.caller) : { allowed: true });
  const requestRateError = (retryAfterMs: number) =>
    rateLimited(
      `Too many requests: at most ${settings.requestsPerSecond} per second, with a burst of ${settings.requestBurst} more per ${BURST_WINDOW_SECONDS} seconds`,
      'REQUEST_RATE',
      retryAfterMs,
    );

  return {
    settings,
    redis,
    checkRequestRate: (caller) => checkRate(asCaller(caller)),
    chargeQueryCost: (caller, cost) => budget.charge(asCaller(caller), cost),
    checkOperationShape: (document, operation) => checkOperationShape(document, operation, settings),

    countRequest,
    requestRateError,

    async admitOperation({ caller, schema, document, operation, variables, uncounted }) {
      const counting = uncounted?.take() ? uncounted : undefined;
      // a refusal before the charge still counts the request; over its rate, the rate answers
      const refuse = async (error: GraphQLError, cost?: CostExtension): Promise<Admission> => {
        if (counting) {
          const rate = await checkRate(counting.caller);
          if (!rate.allowed) return { error: requestRateError(rate.retryAfterMs) };
        }
        return cost ? { cost, error } : { error };
      };
      if (documentContainsNul(document) || containsNul(variables)) return refuse(nulRefused());
      const refusedShape = shapeError(cachedOperationShape(document, operation), settings);
      if (refusedShape) return refuse(refusedShape);
      let requested: number;
      try {
        requested = cachedOperationCost(schema, document, operation, variables).total;
      } catch (error) {
        if (error instanceof GraphQLError) return refuse(error);
        throw error;
      }
      const charge = async (cost: number): Promise<{ refused: GraphQLError } | { decision: CostDecision }> => {
        if (!counting) return { decision: await budget.charge(caller, cost) };
        const counted = await budget.chargeCountingRequest(caller, cost, rate.counting);
        return 'cost' in counted ? { decision: counted.cost } : { refused: requestRateError(counted.rate.retryAfterMs) };
      };
      if (requested > settings.maxQueryCost) {
        const read = await charge(0);
        if ('refused' in read) return { error: read.refused };
        return {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: read.decision.throttleStatus },
          error: queryTooComplex(`The operation costs ${requested} points; at most ${settings.maxQueryCost} are allowed per operation`, 'QUERY_COST', {
            requestedQueryCost: requested,
            maximumQueryCost: settings.maxQueryCost,
          }),
        };
      }
      let release: (() => void) | undefined;
      if (operation.operation !== 'subscription') {
        const slot = await operationSlots.acquire(caller);
        if (!slot.allowed) return refuse(slot.error);
        release = slot.release;
      }
      let charged: Awaited<ReturnType<typeof charge>>;
      try {
        charged = await charge(requested);
      } catch (error) {
        release?.();
        throw error;
      }
      if ('refused' in charged) {
        release?.();
        return { error: charged.refused };
      }
      const decision = charged.decision;
      const cost = { requestedQueryCost: requested, actualQueryCost: decision.allowed ? requested : null, throttleStatus: decision.throttleStatus };
      if (decision.allowed) return { cost, release };
      release?.();
      return {
        cost,
        error: rateLimited(
          `The operation costs ${requested} points and ${decision.throttleStatus.currentlyAvailable} are available; the budget refills ${decision.throttleStatus.restoreRate} points per second`,
          'COST_BUDGET',
          decision.retryAfterMs,
          { requestedQueryCost: requested },
        ),
      };
    },

    async settleOperation({ caller, schema, document, operation, variables }, cost, data) {
      // introspection answers are built from the schema, not the data: they cost what was asked
      if (selectsIntrospection(document, operation)) return { ...cost, actualQueryCost: cost.requestedQueryCost };
      // the database work (counts, searches, aggregates) was done whatever the result holds
      const { databaseWork } = cachedOperationCost(schema, document, operation, variables);
      const actual = Math.min(cost.requestedQueryCost, actualOperationCost(schema, document, operation, data, cost.requestedQueryCost) + databaseWork);
      if (actual >= cost.requestedQueryCost) return { ...cost, actualQueryCost: cost.requestedQueryCost };
      const refund = await budget.charge(caller, actual - cost.requestedQueryCost);
      return { ...cost, actualQueryCost: actual, throttleStatus: refund.throttleStatus };
    },

    acquireSubscriptionSlot: (sellerId, connectionId) => slots.acquire(sellerId, connectionId),
    registerPersistedQuery: (sellerId, hash) => persistedQueries.register(sellerId, hash),
    releaseConnectionSlots: (connectionId) => slots.releaseConnection(connectionId),

    async close() {
      // refunds still waiting for the caller's next charge go out now, not with the process
      await budget.flush().catch((err: unknown) => log.warn({ err }, 'could not flush cost refunds'));
      await slots.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
