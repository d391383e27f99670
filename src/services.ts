import type { Infra } from './infra/connect.js';
import { CatalogService } from './modules/catalog/product.service.js';
import { EventsService } from './modules/events/events.service.js';
import { InventoryService } from './modules/inventory/inventory.service.js';
import { LiveEventsService } from './modules/events/live/live-events.service.js';

/** The domain services, one instance per process, shared by every request. */
export interface Services {
  catalog: CatalogService;
  inventory: InventoryService;
  events: EventsService;
  live: LiveEventsService;
}

export function createServices({ db, bus, config }: Pick<Infra, 'db' | 'bus' | 'config'>): Services {
  return {
    catalog: new CatalogService(db),
    inventory: new InventoryService(db),
    events: new EventsService(db),
    live: new LiveEventsService(db, bus, config.subscriptions),
  };
}
