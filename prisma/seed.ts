// npm run db:seed [-- --reset]: the demo store of demo-seller-1 and demo-seller-2 (prisma/seed/).
// Running it again skips what exists; --reset removes the demo sellers' data first (no one else's).
import 'reflect-metadata';
import { loadConfig } from '../src/config.js';
import { closeInfra, connectInfra } from '../src/infra/connect.js';
import { applyMigrations, ensureDatabase } from '../src/infra/migrate.js';
import { CatalogService } from '../src/modules/catalog/product.service.js';
import { expiryScheduleOn } from '../src/modules/inventory/reservation-expiry.queue.js';
import { seedDemoStore } from './seed/demo-store.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--reset');
if (unknown.length > 0) {
  console.error(`db:seed: unknown argument ${unknown.join(' ')} (the only option is --reset)`);
  process.exit(2);
}

const started = Date.now();
const config = loadConfig();
await ensureDatabase(config.databaseUrl);
await applyMigrations(config.databaseUrl);
const infra = connectInfra(config);
try {
  const report = await seedDemoStore(
    { db: infra.db, catalog: new CatalogService(infra.db), expiry: expiryScheduleOn(infra.queues, infra.log) },
    { reset: args.includes('--reset') },
  );
  for (const line of report) console.log(line);
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await closeInfra(infra);
}
