// npm run db:seed: two demo sellers with a few hundred products over several categories.
// Goes through the catalog service, so every product has its ProductCreated event and stock movement.
import 'reflect-metadata';
import { Decimal } from 'decimal.js';
import { loadConfig } from '../src/config.js';
import { closeInfra, connectInfra } from '../src/infra/connect.js';
import { applyMigrations, ensureDatabase } from '../src/infra/migrate.js';
import { CatalogService } from '../src/modules/catalog/product.service.js';

const SELLERS = ['demo-seller-1', 'demo-seller-2'];
const CATEGORIES = {
  Kitchen: ['Mug', 'Kettle', 'Chef knife', 'Cutting board', 'Teapot', 'Whisk'],
  Garden: ['Trowel', 'Watering can', 'Pruner', 'Seed tray', 'Hose reel'],
  Office: ['Notebook', 'Desk lamp', 'Stapler', 'Fountain pen', 'Monitor stand'],
  Outdoor: ['Tent', 'Headlamp', 'Camping stove', 'Sleeping bag', 'Water bottle'],
  Toys: ['Puzzle', 'Kite', 'Building blocks', 'Yo-yo', 'Board game'],
  Apparel: ['Wool socks', 'Rain jacket', 'Beanie', 'T-shirt', 'Scarf'],
};
const COLORS = ['Red', 'Blue', 'Green', 'Black', 'White', 'Amber', 'Teal'];
const PER_SELLER = 180;

const config = loadConfig();
await ensureDatabase(config.databaseUrl);
await applyMigrations(config.databaseUrl);
const infra = connectInfra(config);
const catalog = new CatalogService(infra.db);

let random = 42;
const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

for (const [s, sellerId] of SELLERS.entries()) {
  if ((await catalog.productCount(sellerId)) > 0) {
    console.log(`${sellerId}: already seeded`);
    continue;
  }
  for (let i = 0; i < PER_SELLER; i++) {
    const [category, names] = Object.entries(CATEGORIES)[i % 6]!;
    const base = names[Math.floor(next() * names.length)]!;
    const color = COLORS[Math.floor(next() * COLORS.length)]!;
    const result = await catalog.createProduct(sellerId, {
      sku: `S${s + 1}-${category.slice(0, 3).toUpperCase()}-${String(i).padStart(4, '0')}`,
      name: `${color} ${base}`,
      description: `A ${color.toLowerCase()} ${base.toLowerCase()} for everyday use.`,
      price: new Decimal(Math.floor(next() * 20000) + 199).div(100),
      category,
      quantity: Math.floor(next() * 60),
      lowStockThreshold: 5,
    });
    if (result.userErrors.length > 0) throw new Error(result.userErrors.map((e) => e.message).join('; '));
  }
  console.log(`${sellerId}: ${PER_SELLER} products`);
}
await closeInfra(infra);
