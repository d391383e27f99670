import type { Logger } from './infra/logger.js';
import type { Database } from './infra/prisma.js';
import type { Queues } from './infra/queues.js';
import { CatalogService } from './modules/catalog/product.service.js';
import { EventsService } from './modules/events/events.service.js';
import { InventoryService } from './modules/inventory/inventory.service.js';
import { expiryScheduleOn } from './modules/inventory/reservations.jobs.js';
import { ReservationsService } from './modules/inventory/reservations.service.js';
import { OrdersService } from './modules/orders/orders.service.js';

/** The domain services, one instance per process, shared by every request. */
export interface Services {
  catalog: CatalogService;
  inventory: InventoryService;
  reservations: ReservationsService;
  orders: OrdersService;
  events: EventsService;
}

export function createServices(deps: { db: Database; queues: Queues; log: Logger }): Services {
  const expiry = expiryScheduleOn(deps.queues, deps.log);
  return {
    catalog: new CatalogService(deps.db),
    inventory: new InventoryService(deps.db),
    reservations: new ReservationsService(deps.db, expiry),
    orders: new OrdersService(deps.db, expiry),
    events: new EventsService(deps.db),
  };
}
