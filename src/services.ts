import type { Infra } from './infra/connect.js';
import { LocalBlobStore } from './infra/blob-store.js';
import { AccountsService } from './modules/accounts/accounts.service.js';
import { ApiKeysService } from './modules/accounts/api-keys.service.js';
import { TeamService } from './modules/accounts/team.service.js';
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
import { CustomersService } from './modules/customers/customers.service.js';
import { NotificationOutbox } from './modules/notifications/notification-outbox.js';
import { notificationDispatchOn } from './modules/notifications/notification.queue.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { RecordingSmsProvider } from './modules/notifications/sms-provider.js';
import { PaymentsService } from './modules/payments/payments.service.js';
import { SimulatedPaymentProvider } from './modules/payments/simulated-payment-provider.js';

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
  customers: CustomersService;
  payments: PaymentsService;
  notifications: NotificationsService;
  accounts: AccountsService;
  team: TeamService;
  apiKeys: ApiKeysService;
  intelligence: IntelligenceService;
}

export function createServices({ db, bus, config, redis, queues, log }: Pick<Infra, 'db' | 'bus' | 'config' | 'redis' | 'queues' | 'log'>): Services {
  const expiry = expiryScheduleOn(queues, log);
  const outbox = new NotificationOutbox(notificationDispatchOn(queues, log));
  // the only provider so far: a real gateway implements the same interface
  const payments = new PaymentsService(db, new SimulatedPaymentProvider(), outbox, log);
  const accounts = new AccountsService(db, redis, config);
  return {
    catalog: new CatalogService(db),
    inventory: new InventoryService(db),
    reservations: new ReservationsService(db, expiry, config.stockHoldBatch, payments),
    orders: new OrdersService(db, expiry, outbox, payments),
    events: new EventsService(db),
    live: new LiveEventsService(db, bus, config.subscriptions, log),
    bulk: new BulkService(db, queues, new LocalBlobStore(config.jobs.blobDir), { redis, prefix: config.redisPrefix }, bus.topics(), config.jobs),
    webhooks: new WebhooksService(db, queues, config.webhooks),
    analytics: new AnalyticsService(db, queues),
    customers: new CustomersService(db),
    payments,
    // the only SMS provider so far: a real gateway implements the same interface
    notifications: new NotificationsService(db, new RecordingSmsProvider()),
    accounts,
    team: new TeamService(db, accounts, config.accounts),
    apiKeys: new ApiKeysService(db, accounts),
    intelligence: new IntelligenceService(db, queues, config.intelligence),
  };
}
