import type { Logger } from '../infra/logger.js';
import type { UncountedRequest } from '../limits/request-rate.js';
import type { SubscriptionTransport } from '../modules/events/live/live-events.service.js';
import type { Services } from '../services.js';
import type { Viewer } from './auth.js';
import { unauthenticated } from './errors.js';

/** What every resolver gets: the caller, the services, and a logger bound to the request. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  /** The client's address (behind a trusted proxy, the forwarded one): anonymous callers are limited by it. */
  clientIp?: string;
  services: Services;
  log: Logger;
  /** A request over HTTP whose rate is still to count (src/http/graphql-guards.ts, limitRequestRate). */
  uncounted?: UncountedRequest;
  /** Set for subscriptions over WebSocket or SSE. */
  transport?: SubscriptionTransport;
}

/** The authenticated seller's id; every read and write is scoped to it. */
export function sellerOf(ctx: Context): string {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer.sellerId;
}
