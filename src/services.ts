import type { Infra } from './infra/connect.js';
import { LocalBlobStore } from './infra/blob-store.js';
import { AnalyticsService } from './modules/analytics/analytics.service.js';
import { BulkService } from './modules/bulk/bulk.service.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { CatalogService } from './modules/catalog/product.service.js';
import { EventsService } from './modules/events/events.service.js';
import { LiveEventsService } from './modules/events/live/live-events.service.js';
import { IntelligenceService } from './modules/intelligence/intelligence.service.js';
import { InventoryService } from './modules/inventory/inventory.service.js';
import { expiryScheduleOn } from './modules/inventory/reservation-expiry.queue.js';
import { ReservationsService } from './modules/inventory/reservations.service.js';
import { OrdersService } from './modules/orders/orders.service.js';

/** The domain services, one instance per process, shared by every request. */
export interface Services {
  catalog: CatalogService;
  inventory: InventoryService;
  reservations: ReservationsService;
  orders: OrdersService;
  events: EventsService;
  live: LiveEventsService;
  bulk: BulkService;
  webhooks: WebhooksService;
  analytics: AnalyticsService;
  intelligence: IntelligenceService;
}

export function createServices({ db, bus, config, redis, queues, log }: Pick<Infra, 'db' | 'bus' | 'config' | 'redis' | 'queues' | 'log'>): Services {
  const expiry = expiryScheduleOn(queues, log);
  return {
    catalog: new CatalogService(db),
    inventory: new InventoryService(db),
    reservations: new ReservationsService(db, expiry, config.stockHoldBatch),
    orders: new OrdersService(db, expiry),
    events: new EventsService(db),
    live: new LiveEventsService(db, bus, config.subscriptions, log),
    bulk: new BulkService(db, queues, new LocalBlobStore(config.jobs.blobDir), { redis, prefix: config.redisPrefix }, bus.topics(), config.jobs),
    webhooks: new WebhooksService(db, queues, config.webhooks),
    analytics: new AnalyticsService(db, queues),
    intelligence: new IntelligenceService(db, queues, config.intelligence),
  };
}
