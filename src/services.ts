import type { Database } from './infra/prisma.js';
import { CatalogService } from './modules/catalog/product.service.js';
import { EventsService } from './modules/events/events.service.js';
import { InventoryService } from './modules/inventory/inventory.service.js';

/** The domain services, one instance per process, shared by every request. */
export interface Services {
  catalog: CatalogService;
  inventory: InventoryService;
  events: EventsService;
}

export function createServices(deps: { db: Database }): Services {
  return {
    catalog: new CatalogService(deps.db),
    inventory: new InventoryService(deps.db),
    events: new EventsService(deps.db),
  };
}
