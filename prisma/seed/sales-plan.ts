// The demo store's 90 days of trade, worked out in memory before anything is written: every
// product's demand day by day (weekly rhythm, trends, slow sellers), restocks, the orders that
// carried the sales, and the stock each product ends with. Pure and seeded: the same shop and
// day give the same plan.
import { DEMO_SHOPS, type DemoShop } from './catalog-data.js';
import { Random } from './random.js';

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** steady: sells most days and is restocked; slow: an odd sale now and then; trending: demand
 *  climbing and no restock lately, days from running out; low: not restocked lately, at or below its threshold. */
export type ProductKind = 'steady' | 'slow' | 'trending' | 'low';

export interface PlannedProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  lowStockThreshold: number;
  kind: ProductKind;
  openingQuantity: number;
  /** On hand after the history: what the product is created with. */
  finalQuantity: number;
}

export interface PlannedOrder {
  at: Date;
  status: 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
  updatedAt: Date;
  lines: { product: number; quantity: number }[];
}

export interface PlannedMovement {
  product: number;
  at: Date;
  delta: number;
  reason: 'RECEIVED' | 'SOLD';
  quantityAfter: number;
  /** The order that sold the units (index in orders), or the purchase order's number for a restock. */
  order?: number;
  purchaseOrder?: string;
}

export interface ShopPlan {
  shop: DemoShop;
  /** 00:00 UTC of the first day of history. */
  start: Date;
  products: PlannedProduct[];
  orders: PlannedOrder[];
  movements: PlannedMovement[];
}

/** Hours of the day orders come in (07:00 to 23:00), weighted toward lunch and evening. */
const ORDER_HOURS = [7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 12, 13, 13, 14, 15, 16, 17, 18, 18, 19, 19, 20, 20, 20, 21, 21, 22];

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/** The plan of one shop whose history ends at `today` (00:00 UTC), exclusive. */
export function planShop(shop: DemoShop, today: Date): ShopPlan {
  const random = Random.of(shop.sellerId);
  const start = new Date(today.getTime() - HISTORY_DAYS * DAY_MS);
  const products = shop.categories.flatMap((category) =>
    category.items.map(([name, priceCents, description], i) => ({ name, priceCents, description, category: category.name, sku: `${shop.code}-${category.code}-${String(i + 1).padStart(3, '0')}` })),
  );
  const kinds = assignKinds(random, products.length);
  const orders: PlannedOrder[] = [];
  const lines: { day: number; product: number; quantity: number }[] = [];
  const receipts: { day: number; product: number; quantity: number; purchaseOrder: string }[] = [];
  let purchaseOrders = 0;

  const planned = products.map((p, index): PlannedProduct => {
    const kind = kinds[index]!;
    const rate = kind === 'slow' ? random.between(0.06, 0.2) : clamp(45 / (p.priceCents / 100), 0.3, 3) * random.between(0.6, 1.4);
    const threshold = kind === 'slow' ? 2 : Math.max(kind === 'steady' ? 3 : 4, Math.round(rate * 4));
    const demand = Array.from({ length: HISTORY_DAYS }, (_, day) => {
      const trend = kind === 'trending' ? 1 + 3 * (day / (HISTORY_DAYS - 1)) ** 2 : 1;
      const weekday = new Date(start.getTime() + day * DAY_MS).getUTCDay();
      return random.poisson(rate * shop.weekdayFactors[weekday]! * trend * random.between(0.85, 1.15));
    });
    // trending and low products are not restocked in their last weeks: they end where the plan wants
    const window = kind === 'trending' ? 28 : kind === 'low' ? 18 : 0;
    const windowStart = HISTORY_DAYS - window;
    const opening = kind === 'slow' ? random.int(5, 10) : Math.ceil(rate * 35) + threshold + random.int(0, 10);
    const pending = new Map<number, number>();
    let onHand = opening;
    let target = 0;
    for (let day = 0; day < HISTORY_DAYS; day++) {
      const arriving = pending.get(day) ?? 0;
      if (window > 0 && day === windowStart) {
        const rest = demand.slice(day).reduce((a, b) => a + b, 0);
        target = kind === 'trending' ? random.int(1, 3) : random.int(1, threshold - 1);
        const needed = rest + target - (onHand + arriving);
        if (needed > 0) pending.set(day, arriving + needed);
        else addDemand(random, demand, day, -needed);
      }
      const received = pending.get(day) ?? 0;
      if (received > 0) {
        onHand += received;
        receipts.push({ day, product: index, quantity: received, purchaseOrder: `${shop.code}-PO-${String(++purchaseOrders).padStart(5, '0')}` });
      }
      const sold = Math.min(demand[day]!, onHand);
      onHand -= sold;
      for (const quantity of splitIntoLines(random, sold, p.priceCents)) lines.push({ day, product: index, quantity });
      const incoming = [...pending.entries()].filter(([d]) => d > day).reduce((sum, [, q]) => sum + q, 0);
      const restocking = window === 0 || day < windowStart - 5;
      const reorderAt = kind === 'slow' ? 1 : threshold + Math.ceil(rate * 7);
      if (restocking && onHand + incoming <= reorderAt) {
        const quantity = kind === 'slow' ? 6 : Math.ceil(Math.max(rate * 35, 6) / 6) * 6;
        const arrival = day + random.int(2, 4);
        pending.set(arrival, (pending.get(arrival) ?? 0) + quantity);
      }
    }
    if (window > 0 && onHand !== target) throw new Error(`seed plan: ${p.sku} ends with ${onHand}, planned ${target}`);
    return { ...p, lowStockThreshold: threshold, kind, openingQuantity: opening, finalQuantity: onHand };
  });

  const byDay = Array.from({ length: HISTORY_DAYS }, () => [] as typeof lines);
  for (const line of lines) byDay[line.day]!.push(line);
  byDay.forEach((dayLines, day) => orders.push(...ordersOfDay(random, start, day, dayLines, today)));
  for (let day = 0; day < HISTORY_DAYS; day++) {
    for (let n = random.poisson(0.5); n > 0; n--) {
      const product = random.int(0, planned.length - 1);
      const at = orderTime(random, start, day);
      orders.push({ at, status: 'CANCELLED', updatedAt: new Date(at.getTime() + random.int(5, 120) * 60_000), lines: [{ product, quantity: 1 }] });
    }
  }
  orders.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { shop, start, products: planned, orders, movements: movementsOf(planned, orders, receipts, start) };
}

export function planDemoStore(today: Date): ShopPlan[] {
  return DEMO_SHOPS.map((shop) => planShop(shop, today));
}

/** 00:00 UTC of the given instant's day. */
export function utcMidnight(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

function assignKinds(random: Random, count: number): ProductKind[] {
  const kinds = Array.from({ length: count }, (): ProductKind => 'steady');
  const order = random.shuffle(kinds.map((_, i) => i));
  order.slice(0, 3).forEach((i) => (kinds[i] = 'trending'));
  order.slice(3, 7).forEach((i) => (kinds[i] = 'low'));
  order.slice(7, 19).forEach((i) => (kinds[i] = 'slow'));
  return kinds;
}

/** Adds `extra` units of demand over the days from `from`, where demand already is (a busier end of the trend). */
function addDemand(random: Random, demand: number[], from: number, extra: number): void {
  for (let left = extra; left > 0; left--) {
    const day = from + Math.floor(Math.sqrt(random.next()) * (demand.length - from));
    demand[day]!++;
  }
}

/** A day's units of one product as order lines: dear items one at a time, cheap ones up to three. */
function splitIntoLines(random: Random, units: number, priceCents: number): number[] {
  const lines: number[] = [];
  for (let left = units; left > 0; ) {
    const quantity = priceCents > 6000 ? 1 : Math.min(left, random.pick([1, 1, 1, 1, 2, 2, 3]));
    lines.push(quantity);
    left -= quantity;
  }
  return lines;
}

function orderTime(random: Random, start: Date, day: number): Date {
  return new Date(start.getTime() + day * DAY_MS + random.pick(ORDER_HOURS) * 3_600_000 + random.int(0, 3599) * 1000);
}

/** A day's lines packed into orders of one to three products, each order at one moment of the day. */
function ordersOfDay(random: Random, start: Date, day: number, dayLines: { product: number; quantity: number }[], today: Date): PlannedOrder[] {
  const daysAgo = HISTORY_DAYS - day;
  const status = daysAgo > 5 ? 'DELIVERED' : daysAgo > 1 ? 'SHIPPED' : 'CONFIRMED';
  const after = status === 'DELIVERED' ? 3 * DAY_MS : status === 'SHIPPED' ? DAY_MS : 20 * 60_000;
  const shuffled = random.shuffle(dayLines);
  const orders: PlannedOrder[] = [];
  while (shuffled.length > 0) {
    const r = random.next();
    const size = r < 0.65 ? 1 : r < 0.9 ? 2 : 3;
    const merged = new Map<number, number>();
    for (const line of shuffled.splice(0, size)) merged.set(line.product, (merged.get(line.product) ?? 0) + line.quantity);
    const at = orderTime(random, start, day);
    const updatedAt = new Date(Math.min(at.getTime() + after, today.getTime() - 60_000));
    orders.push({ at, status, updatedAt, lines: [...merged].map(([product, quantity]) => ({ product, quantity })) });
  }
  return orders;
}

/** Each product's movements in time order with the stock after each: restocks at 06:00-06:59, sales as ordered. */
function movementsOf(
  products: PlannedProduct[],
  orders: PlannedOrder[],
  receipts: { day: number; product: number; quantity: number; purchaseOrder: string }[],
  start: Date,
): PlannedMovement[] {
  const moves: Omit<PlannedMovement, 'quantityAfter'>[] = [];
  receipts.forEach((r, i) => moves.push({ product: r.product, at: new Date(start.getTime() + r.day * DAY_MS + 6 * 3_600_000 + (i % 3600) * 1000), delta: r.quantity, reason: 'RECEIVED', purchaseOrder: r.purchaseOrder }));
  orders.forEach((o, index) => {
    if (o.status === 'CANCELLED') return;
    for (const line of o.lines) moves.push({ product: line.product, at: o.at, delta: -line.quantity, reason: 'SOLD', order: index });
  });
  moves.sort((a, b) => a.at.getTime() - b.at.getTime() || a.product - b.product);
  const onHand = products.map((p) => p.openingQuantity);
  const out = moves.map((m) => {
    onHand[m.product]! += m.delta;
    if (onHand[m.product]! < 0) throw new Error(`seed plan: ${products[m.product]!.sku} below zero at ${m.at.toISOString()}`);
    return { ...m, quantityAfter: onHand[m.product]! };
  });
  products.forEach((p, i) => {
    if (onHand[i] !== p.finalQuantity) throw new Error(`seed plan: ${p.sku} movements end at ${onHand[i]}, planned ${p.finalQuantity}`);
  });
  return out;
}
